using System.Text;
using SnatTools.Core.Linux;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables.Analysis;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Prints a masquerade or snat statement as nft 1.0.x does (statement.c nat_stmt_print, after
/// netlink_delinearize.c netlink_parse_nat): `masquerade [to :ports] [flags]` and `snat [ip|ip6]
/// [prefix] to addresses[:ports] [flags]`. The family is named in inet tables, and elsewhere only
/// when the addresses come from a map whose data is an interval or carries ports; an address range
/// that is one block is printed as a prefix; IPv6 addresses are bracketed when ports follow.
/// </summary>
internal sealed class NftNatText
{
    private readonly NftOperandText _operands;
    private readonly NftSetText _sets;

    public NftNatText(NftOperandText operands, NftSetText sets)
    {
        _operands = operands;
        _sets = sets;
    }

    /// <summary>The statement's text, or null when part of it cannot be printed.</summary>
    public NftPrintedNat? Print(NftNatTarget target, bool inetTable)
    {
        var statement = target.Statement;
        string? addresses = null, ports = null;
        bool bracket = statement.IsIPv6 && statement.PortMin is not null && !target.PortsFromMap;
        string? addressText = null;
        NatMap? described = null;
        if (target.Map is { } map)
        {
            if (MapText(map, target) is not { } mapped)
            {
                return null;
            }

            var (mapText, description) = mapped;
            addresses = addressText = mapText;
            ports = target.PortsFromMap ? mapText : null;
            described = description;
        }
        else if (target.AddressExpression is { } expression)
        {
            addresses = addressText = _operands.Name(expression);
            if (addresses is null)
            {
                return null;
            }
        }
        else if (statement.AddressMin is not null)
        {
            if (target.Range.MinAddress is not { } min)
            {
                return null;
            }

            var max = target.Range.MaxAddress ?? min;
            if (!statement.HasAddressRange)
            {
                addresses = InetNtop.Format(min);
                addressText = bracket ? $"[{addresses}]" : addresses;
            }
            else if (NftSetText.RangeText(NftValueType.Address(statement.IsIPv6), min.GetAddressBytes(), max.GetAddressBytes(), single: false) is { } range
                     && range.Contains('/', StringComparison.Ordinal))
            {
                addresses = addressText = range;
            }
            else
            {
                string first = InetNtop.Format(min), last = InetNtop.Format(max);
                addresses = $"{first}-{last}";
                addressText = bracket ? $"[{first}]-[{last}]" : addresses;
            }
        }

        if (statement.PortMin is { } portMin && !target.PortsFromMap)
        {
            if (portMin.Value is not ConstantOperand || (statement.PortMax is { } portMax && portMax.Value is not ConstantOperand))
            {
                return null;
            }

            ports = statement.HasPortRange ? $"{target.Range.MinPort}-{target.Range.MaxPort}" : $"{target.Range.MinPort}";
        }

        var text = new StringBuilder(statement.Kind == NftNatKind.Masquerade ? "masquerade" : "snat");
        if (addressText is not null || ports is not null)
        {
            if (statement.Kind == NftNatKind.SourceNat && (inetTable || NamesFamily(target)))
            {
                text.Append(statement.IsIPv6 ? " ip6" : " ip");
            }

            if ((statement.Flags & NatRangeFlags.Netmap) != 0)
            {
                text.Append(" prefix");
            }

            text.Append(" to ").Append(addressText);
            if (ports is not null && !target.PortsFromMap)
            {
                text.Append(':').Append(ports);
            }
        }

        AppendFlags(text, statement.Flags);
        return new NftPrintedNat(text.ToString(), addresses, ports, described);
    }

    /// <summary>"key map { ... }" or "key map @name", and the map described entry by entry.</summary>
    private (string Text, NatMap Map)? MapText(MapOperand map, NftNatTarget target)
    {
        if (_operands.Name(map.Key) is not { } key || map.Contents is not { } contents
            || _sets.Entries(contents, NftOperandTypes.Of(map.Key)) is not { } entries)
        {
            return null;
        }

        var described = new NatMap(
            key,
            map.IsAnonymous ? null : map.SetName,
            (target.Statement.Flags & NatRangeFlags.Netmap) != 0,
            entries.Select(e => Entry(e.Key, e.Data!, target.PortsFromMap)).ToList());
        string elements = map.IsAnonymous
            ? "{ " + string.Join(", ", entries.Select(e => $"{e.Key} : {e.Data}")) + " }"
            : "@" + map.SetName;
        return ($"{key} map {elements}", described);
    }

    /// <summary>Map data "address" or "address . port" (each possibly a range or prefix) split into its parts.</summary>
    private static NatMapEntry Entry(string key, string data, bool ports)
    {
        int dot = data.IndexOf(" . ", StringComparison.Ordinal);
        return ports && dot > 0 ? new NatMapEntry(key, data[..dot], data[(dot + 3)..]) : new NatMapEntry(key, data, null);
    }

    /// <summary>
    /// netlink_parse_nat: outside inet tables the family is printed only for a map whose data is an
    /// address interval (is_nat_addr_map) or an address and a port (is_nat_proto_map), which nft
    /// tells by the data length.
    /// </summary>
    private static bool NamesFamily(NftNatTarget target)
    {
        if (target.Map?.Contents?.Set.DataLength is not { } length)
        {
            return false;
        }

        return target.Statement.IsIPv6 ? length is 20 or 32 or 40 : length is 8 or 16;
    }

    /// <summary>nft print_nf_nat_flags: " random,fully-random,persistent" in that order.</summary>
    private static void AppendFlags(StringBuilder text, NatRangeFlags flags)
    {
        char separator = ' ';
        foreach (var (flag, name) in (ReadOnlySpan<(NatRangeFlags, string)>)[(NatRangeFlags.ProtoRandom, "random"), (NatRangeFlags.ProtoRandomFully, "fully-random"), (NatRangeFlags.Persistent, "persistent")])
        {
            if ((flags & flag) != 0)
            {
                text.Append(separator).Append(name);
                separator = ',';
            }
        }
    }
}
