using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Prints an analysed native rule the way `nft list ruleset` (nftables 1.0.x, netlink_delinearize.c
/// and statement.c) does, for the statements source-NAT rules use: meta iifname/oifname/l4proto/
/// nfproto/mark, ip/ip6 addresses and prefixes, tcp/udp ports, ct state and status, fib address
/// types, set lookups (named and anonymous), counter, verdicts, masquerade and snat with their
/// ranges and flags, and the comment. Protocol matches that only exist as the dependency of a later
/// header match (meta l4proto tcp before tcp dport, meta nfproto ipv4 before ip saddr in inet
/// tables) are left out, as nft does. Anything else is reported as a problem.
/// </summary>
public sealed class NftRulePrinter
{
    private static readonly (uint Bit, string Name)[] CtStates = [(1, "invalid"), (2, "established"), (4, "related"), (8, "new"), (64, "untracked")];
    private static readonly (uint Bit, string Name)[] CtStatuses =
        [(1, "expected"), (2, "seen-reply"), (4, "assured"), (8, "confirmed"), (16, "snat"), (32, "dnat"), (512, "dying")];

    private static readonly string[] AddressTypes = ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit"];

    private readonly NftRuleAnalysis _analysis;
    private readonly Func<string, NftSetContents?>? _sets;
    private readonly List<Printed> _printed = [];
    private readonly List<string> _problems = [];
    private int? _transportDependency;
    private byte _transportProtocol;
    private int? _networkDependency;

    private NftRulePrinter(NftRuleAnalysis analysis, Func<string, NftSetContents?>? sets)
    {
        _analysis = analysis;
        _sets = sets;
    }

    /// <summary>Prints <paramref name="analysis"/>; <paramref name="sets"/> supplies the elements of anonymous sets by name.</summary>
    public static NftPrintedRule Print(NftRuleAnalysis analysis, Func<string, NftSetContents?>? sets)
    {
        var printer = new NftRulePrinter(analysis, sets);
        foreach (var statement in analysis.Statements)
        {
            printer.Statement(statement);
        }

        return printer.Result();
    }

    private void Statement(NftStatement statement)
    {
        switch (statement)
        {
            case NftComparison comparison:
                Compare(comparison);
                break;
            case NftRangeMatch range:
                Range(range);
                break;
            case NftLookupStatement lookup:
                Lookup(lookup);
                break;
            case NftCounterStatement counter:
                Add(Kind.Counter, $"counter packets {counter.Packets} bytes {counter.Bytes}");
                break;
            case NftVerdictStatement verdict:
                Add(Kind.Verdict, verdict.Verdict.ToString());
                break;
            case NftNatStatement nat:
                Nat(nat);
                break;
            case NftOtherStatement other:
                _problems.Add($"{other.Expression} has no nft text in this version");
                Add(Kind.Other, other.Expression.ToString());
                break;
        }
    }

    private NftPrintedRule Result()
    {
        var text = new StringBuilder();
        var matches = new StringBuilder();
        foreach (var printed in _printed.Where(s => !s.Removed))
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append(printed.Text);
            if (printed.Kind == Kind.Match)
            {
                matches.Append(matches.Length > 0 ? " " : string.Empty).Append(printed.Text);
            }
        }

        if (_analysis.Rule.Comment is { } comment)
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append("comment \"").Append(comment).Append('"');
        }

        return new NftPrintedRule(text.ToString(), matches.ToString(), _problems);
    }

    private int Add(Kind kind, string text)
    {
        _printed.Add(new Printed(kind, text));
        return _printed.Count - 1;
    }

    private void Compare(NftComparison comparison)
    {
        var (operand, mask, xor) = Unmask(comparison.Left);
        uint op = comparison.Op;
        var value = comparison.Value;
        switch (operand)
        {
            case MetaOperand meta:
                CompareMeta(meta, mask, op, value);
                return;
            case PayloadOperand payload when Printable(payload) is { } field:
                bool ipv6 = payload.NetworkFamily == NfProto.IPv6;
                Add(Kind.Match, $"{NetworkHeader.NftName(field, ipv6)} {NftValueText.Op(op)}{NetworkValue(payload, mask, field, ipv6, value)}");
                ConsumeNetworkDependency();
                if (field == NetworkField.Protocol && op == NftCmpOp.Eq)
                {
                    _transportDependency = _printed.Count - 1;
                    _transportProtocol = value[0];
                }

                return;
            case PayloadOperand payload when TransportName(payload) is { } port && value.Length == 2:
                Add(Kind.Match, $"{port} {NftValueText.Op(op)}{BinaryPrimitives.ReadUInt16BigEndian(value)}");
                ConsumeTransportDependency();
                return;
            case CtOperand ct when ct.Key is NftCtKey.State or NftCtKey.Status && mask is { Length: 4 } && op == NftCmpOp.Neq
                                    && value.AsSpan().IndexOfAnyExcept((byte)0) < 0 && (xor is null || xor.AsSpan().IndexOfAnyExcept((byte)0) < 0):
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(mask);
                var names = ct.Key == NftCtKey.State ? CtStates : CtStatuses;
                Add(Kind.Match, $"ct {CtExpression.KeyName(ct.Key)} {string.Join(',', names.Where(n => (bits & n.Bit) != 0).Select(n => n.Name))}");
                return;
            case FibOperand { Result: FibOperand.ResultAddressType } fib when value.Length == 4:
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(value);
                Add(Kind.Match, $"{FibText(fib.Flags)} type {NftValueText.Op(op)}{(type < AddressTypes.Length ? AddressTypes[type] : type.ToString(CultureInfo.InvariantCulture))}");
                return;
        }

        _problems.Add($"cmp {CmpExpression.OpName(op)} on {comparison.Left} has no nft text in this version");
        Add(Kind.Match, $"{comparison.Left} {NftValueText.Op(op)}{NftValueText.Hex(value)}");
    }

    private void CompareMeta(MetaOperand meta, byte[]? mask, uint op, byte[] value)
    {
        switch (meta.Key)
        {
            case NftMetaKey.IifName or NftMetaKey.OifName:
                string name = NftValueText.Interface(InterfaceName.Decode(value));
                Add(Kind.Match, $"{(meta.Key == NftMetaKey.OifName ? "oifname" : "iifname")} {NftValueText.Op(op)}\"{name}\"");
                return;
            case NftMetaKey.L4Proto when value.Length == 1:
                int index = Add(Kind.Match, $"meta l4proto {NftValueText.Op(op)}{NftValueText.Protocol(value[0])}");
                if (op == NftCmpOp.Eq)
                {
                    _transportDependency = index;
                    _transportProtocol = value[0];
                }

                return;
            case NftMetaKey.NfProto when value.Length == 1:
                int at = Add(Kind.Match, $"meta nfproto {NftValueText.Op(op)}{NftValueText.NfProto(value[0])}");
                if (op == NftCmpOp.Eq)
                {
                    _networkDependency = at;
                }

                return;
            case NftMetaKey.Mark when value.Length == 4:
                uint mark = BinaryPrimitives.ReadUInt32LittleEndian(value);
                if (mask is { Length: 4 })
                {
                    string relation = op == NftCmpOp.Neq ? "!=" : "==";
                    Add(Kind.Match, $"meta mark & 0x{BinaryPrimitives.ReadUInt32LittleEndian(mask):x8} {relation} 0x{mark:x8}");
                }
                else
                {
                    Add(Kind.Match, $"meta mark {NftValueText.Op(op)}0x{mark:x8}");
                }

                return;
        }

        _problems.Add($"meta {MetaExpression.KeyName(meta.Key)} has no nft text in this version");
        Add(Kind.Match, $"meta {MetaExpression.KeyName(meta.Key)} {NftValueText.Op(op)}{NftValueText.Hex(value)}");
    }

    private void Range(NftRangeMatch range)
    {
        if (Unmask(range.Left).Operand is PayloadOperand payload && TransportName(payload) is { } port && range.From is { Length: 2 } from && range.To is { Length: 2 } to)
        {
            Add(Kind.Match, $"{port} {(range.Negated ? "!= " : string.Empty)}{BinaryPrimitives.ReadUInt16BigEndian(from)}-{BinaryPrimitives.ReadUInt16BigEndian(to)}");
            ConsumeTransportDependency();
            return;
        }

        _problems.Add($"{range} has no nft text in this version");
        Add(Kind.Match, range.ToString());
    }

    private void Lookup(NftLookupStatement lookup)
    {
        string? subject = null;
        NetworkField? field = null;
        switch (Unmask(lookup.Left).Operand)
        {
            case PayloadOperand payload when Printable(payload) is { } network:
                field = network;
                subject = NetworkHeader.NftName(network, payload.NetworkFamily == NfProto.IPv6);
                ConsumeNetworkDependency();
                break;
            case PayloadOperand payload when TransportName(payload) is { } port:
                subject = port;
                ConsumeTransportDependency();
                break;
            case MetaOperand { Key: NftMetaKey.OifName or NftMetaKey.IifName } meta:
                subject = meta.Key == NftMetaKey.OifName ? "oifname" : "iifname";
                break;
            case MetaOperand { Key: NftMetaKey.L4Proto }:
                subject = "meta l4proto";
                break;
        }

        if (subject is null)
        {
            _problems.Add($"lookup on {lookup.Left} has no nft text in this version");
            Add(Kind.Match, lookup.ToString());
            return;
        }

        string set = lookup.SetName;
        if (set.StartsWith("__set", StringComparison.Ordinal) || set.StartsWith("__map", StringComparison.Ordinal))
        {
            var contents = _sets?.Invoke(set);
            if (contents is null)
            {
                _problems.Add($"the elements of anonymous set {set} could not be read");
                set = "@" + set;
            }
            else
            {
                set = new NftSetText(_problems).Inline(contents, field);
            }
        }
        else
        {
            set = "@" + set;
        }

        Add(
            lookup.IsVerdictMap ? Kind.Verdict : Kind.Match,
            lookup.IsVerdictMap ? $"{subject} vmap {set}" : $"{subject} {(lookup.Negated ? "!= " : string.Empty)}{set}");
    }

    private void Nat(NftNatStatement statement)
    {
        var range = _analysis.TargetOf(statement).Range;
        var text = new StringBuilder(statement.Kind == NftNatKind.Masquerade ? "masquerade" : "snat");
        if (statement.Kind == NftNatKind.SourceNat && _analysis.Rule.Family == NfProto.Inet)
        {
            text.Append(statement.IsIPv6 ? " ip6" : " ip");
        }

        var target = new StringBuilder();
        if (statement.AddressMin is not null)
        {
            bool brackets = statement.IsIPv6 && statement.PortMin is not null;
            target.Append(brackets ? "[" : string.Empty).Append(range.MinAddress).Append(brackets ? "]" : string.Empty);
            if (statement.HasAddressRange)
            {
                target.Append('-').Append(brackets ? "[" : string.Empty).Append(range.MaxAddress).Append(brackets ? "]" : string.Empty);
            }
        }

        if (statement.PortMin is not null)
        {
            target.Append(':').Append(range.MinPort);
            if (statement.HasPortRange)
            {
                target.Append('-').Append(range.MaxPort);
            }
        }

        if (target.Length > 0)
        {
            text.Append(" to ").Append(target);
        }

        if (statement.Kind == NftNatKind.SourceNat && (statement.Flags & NatRangeFlags.Netmap) != 0)
        {
            _problems.Add("snat prefix (NF_NAT_RANGE_NETMAP) has no nft text in this version");
        }

        AppendFlags(text, statement.Flags);
        Add(Kind.Nat, text.ToString());
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

    private void ConsumeTransportDependency()
    {
        if (_transportDependency is { } index)
        {
            _printed[index] = _printed[index] with { Removed = true };
            _transportDependency = null;
        }
    }

    private void ConsumeNetworkDependency()
    {
        if (_networkDependency is { } index)
        {
            _printed[index] = _printed[index] with { Removed = true };
            _networkDependency = null;
        }
    }

    /// <summary>The network header field nft names for this load: addresses (any length: a prefix) and the one-byte protocol.</summary>
    private static NetworkField? Printable(PayloadOperand payload)
    {
        var field = NetworkHeader.FieldOf(payload);
        return field is NetworkField.SourceAddress or NetworkField.DestinationAddress || (field == NetworkField.Protocol && payload.Size == 1) ? field : null;
    }

    /// <summary>"tcp dport" and the like, when the protocol is known from an earlier dependency.</summary>
    private string? TransportName(PayloadOperand payload)
    {
        string? protocol = _transportProtocol switch
        {
            6 => "tcp",
            17 => "udp",
            132 => "sctp",
            _ => null,
        };
        return (protocol, TransportHeader.FieldOf(payload)) switch
        {
            (null, _) => null,
            (_, TransportField.SourcePort) => protocol + " sport",
            (_, TransportField.DestinationPort) => protocol + " dport",
            _ => null,
        };
    }

    /// <summary>An address (with a prefix when the load was shorter or masked), or a protocol name.</summary>
    private static string NetworkValue(PayloadOperand payload, byte[]? mask, NetworkField field, bool ipv6, byte[] value)
    {
        if (field == NetworkField.Protocol)
        {
            return NftValueText.Protocol(value[0]);
        }

        int length = NetworkHeader.AddressLength(ipv6);
        var address = new byte[length];
        value.AsSpan(0, Math.Min(value.Length, length)).CopyTo(address);
        int prefix = mask is not null ? XtText.MaskToCidr(mask) : Math.Min(payload.Size, length) * 8;
        return NftValueText.Address(address, prefix);
    }

    private static (NftOperand Operand, byte[]? Mask, byte[]? Xor) Unmask(NftOperand operand) =>
        operand is MaskedOperand masked ? (masked.Source, masked.Mask, masked.Xor) : (operand, null, null);

    private static string FibText(uint flags)
    {
        var text = new StringBuilder("fib ");
        text.Append((flags & 1) != 0 ? "saddr" : "daddr");
        if ((flags & 4) != 0)
        {
            text.Append(" . mark");
        }

        if ((flags & 8) != 0)
        {
            text.Append(" . iif");
        }

        if ((flags & 16) != 0)
        {
            text.Append(" . oif");
        }

        return text.ToString();
    }

    private enum Kind
    {
        Match,
        Counter,
        Verdict,
        Nat,
        Other,
    }

    private sealed record Printed(Kind Kind, string Text, bool Removed = false);
}
