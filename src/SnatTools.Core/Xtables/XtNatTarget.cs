using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Xtables;

/// <summary>
/// An x_tables MASQUERADE or SNAT target decoded from its info blob, for every revision the kernel
/// accepts (net/netfilter/xt_nat.c, xt_MASQUERADE.c; docs/guide/kernel-facts.md §1-§2):
/// IPv4 MASQUERADE rev 0 and SNAT rev 0 use nf_nat_ipv4_multi_range_compat, IPv6 MASQUERADE rev 0
/// and SNAT rev 1 nf_nat_range, SNAT rev 2 nf_nat_range2. Flags are host-order u32; addresses and
/// ports network order.
/// </summary>
public sealed class XtNatTarget
{
    public const string Masquerade = "MASQUERADE";
    public const string Snat = "SNAT";

    // XT_ALIGN(sizeof(...)) on x86_64 (docs/guide/kernel-facts.md §1).
    public const int CompatInfoLength = 24;
    public const int RangeInfoLength = 40;
    public const int Range2InfoLength = 48;

    private const int CompatStructLength = 20;
    private const int Range2StructLength = 44;

    private readonly byte[] _info;

    private XtNatTarget(string name, uint revision, XtNatLayout layout, NatRange range, bool isIPv6, byte[] info)
    {
        Name = name;
        Revision = revision;
        Layout = layout;
        Range = range;
        IsIPv6 = isIPv6;
        _info = info;
    }

    public string Name { get; }

    public uint Revision { get; }

    public XtNatLayout Layout { get; }

    public NatRange Range { get; }

    /// <summary>True when the addresses are IPv6 (IPv6 MASQUERADE, or SNAT rev 1/2 in an IPv6 table).</summary>
    public bool IsIPv6 { get; }

    public bool IsMasquerade => Name == Masquerade;

    /// <summary>The blob as received (or as built).</summary>
    public ReadOnlySpan<byte> Info => _info;

    /// <summary>
    /// Decodes a MASQUERADE or SNAT info blob; null for any other target. <paramref name="isIPv6"/>
    /// is the table's family (rev 1/2 structs carry no family of their own).
    /// </summary>
    public static XtNatTarget? TryDecode(string name, uint revision, ReadOnlySpan<byte> info, bool isIPv6)
    {
        if (name is not (Masquerade or Snat))
        {
            return null;
        }

        XtNatLayout? layout = (name, revision, info.Length) switch
        {
            (Masquerade, 0, CompatInfoLength) => XtNatLayout.MultiRangeCompat,
            (Masquerade, 0, RangeInfoLength) => XtNatLayout.Range,
            (Snat, 0, CompatInfoLength) => XtNatLayout.MultiRangeCompat,
            (Snat, 1, RangeInfoLength) => XtNatLayout.Range,
            (Snat, 2, Range2InfoLength) => XtNatLayout.Range2,
            _ => null,
        };

        if (layout is null)
        {
            return null;
        }

        if (layout == XtNatLayout.MultiRangeCompat)
        {
            // struct nf_nat_ipv4_multi_range_compat { u32 rangesize; struct nf_nat_ipv4_range range[1]; }
            uint rangeSize = BinaryPrimitives.ReadUInt32LittleEndian(info);
            if (rangeSize != 1)
            {
                return null; // xt_nat_checkentry_v0 refuses anything else; this is not a blob the kernel accepted
            }

            var flags = (NatRangeFlags)BinaryPrimitives.ReadUInt32LittleEndian(info[4..]);
            var range = new NatRange(
                flags,
                new IPAddress(info.Slice(8, 4)),
                new IPAddress(info.Slice(12, 4)),
                BinaryPrimitives.ReadUInt16BigEndian(info[16..]),
                BinaryPrimitives.ReadUInt16BigEndian(info[18..]));
            return new XtNatTarget(name, revision, layout.Value, range, false, info.ToArray());
        }

        // struct nf_nat_range { u32 flags; nf_inet_addr min_addr, max_addr; be16 min_proto, max_proto; } (+ be16 base_proto for range2)
        // IPv6 MASQUERADE is the only rev-0 user of nf_nat_range, so its family is known.
        isIPv6 |= name == Masquerade;
        var rangeFlags = (NatRangeFlags)BinaryPrimitives.ReadUInt32LittleEndian(info);
        var min = isIPv6 ? new IPAddress(info.Slice(4, 16)) : new IPAddress(info.Slice(4, 4));
        var max = isIPv6 ? new IPAddress(info.Slice(20, 16)) : new IPAddress(info.Slice(20, 4));
        ushort basePort = layout == XtNatLayout.Range2 ? BinaryPrimitives.ReadUInt16BigEndian(info[40..]) : (ushort)0;
        var natRange = new NatRange(rangeFlags, min, max, BinaryPrimitives.ReadUInt16BigEndian(info[36..]), BinaryPrimitives.ReadUInt16BigEndian(info[38..]), basePort);
        return new XtNatTarget(name, revision, layout.Value, natRange, isIPv6, info.ToArray());
    }

    /// <summary>Builds a target blob from a range (what `iptables -j MASQUERADE/SNAT` would send).</summary>
    public static XtNatTarget Create(string name, uint revision, XtNatLayout layout, NatRange range, bool isIPv6) =>
        new(name, revision, layout, range, isIPv6, Encode(layout, range, isIPv6));

    /// <summary>Encodes the struct from the typed fields, zero-padded to its XT_ALIGNed size.</summary>
    public byte[] Encode() => Encode(Layout, Range, IsIPv6);

    private static byte[] Encode(XtNatLayout layout, NatRange range, bool isIPv6)
    {
        if (layout == XtNatLayout.MultiRangeCompat)
        {
            var blob = new byte[CompatInfoLength];
            BinaryPrimitives.WriteUInt32LittleEndian(blob, 1);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), (uint)range.Flags);
            (range.MinAddress ?? IPAddress.Any).TryWriteBytes(blob.AsSpan(8, 4), out _);
            (range.MaxAddress ?? IPAddress.Any).TryWriteBytes(blob.AsSpan(12, 4), out _);
            BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(16), range.MinPort);
            BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(18), range.MaxPort);
            return blob;
        }

        var info = new byte[layout == XtNatLayout.Range2 ? Range2InfoLength : RangeInfoLength];
        BinaryPrimitives.WriteUInt32LittleEndian(info, (uint)range.Flags);
        var any = isIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        (range.MinAddress ?? any).TryWriteBytes(info.AsSpan(4, 16), out _);
        (range.MaxAddress ?? any).TryWriteBytes(info.AsSpan(20, 16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(36), range.MinPort);
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(38), range.MaxPort);
        if (layout == XtNatLayout.Range2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(40), range.BasePort);
        }

        return info;
    }

    /// <summary>
    /// The blob with only the flags word changed; every other byte (addresses, ports, padding)
    /// stays as the kernel holds it. This is what Set-SnatRule writes.
    /// </summary>
    public byte[] InfoWithFlags(NatRangeFlags flags)
    {
        var info = _info.ToArray();
        int offset = Layout == XtNatLayout.MultiRangeCompat ? 4 : 0;
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(offset), (uint)flags);
        return info;
    }

    /// <summary>
    /// The target options as iptables-save prints them (extensions/libxt_NAT.c, sprint_range and
    /// __NAT_print): " --to-ports 1024-65535 --random-fully" or " --to-source 198.51.100.1:1000-2000 --random".
    /// </summary>
    public string SaveOptions()
    {
        var text = new StringBuilder();
        var range = Range;
        bool brackets = IsIPv6 && range.HasPorts;
        var rangeText = new StringBuilder();
        if ((range.Flags & NatRangeFlags.MapIps) != 0)
        {
            rangeText.Append(brackets ? "[" : string.Empty).Append(XtText.Address(range.MinAddress!));
            if (!Equals(range.MinAddress, range.MaxAddress))
            {
                rangeText.Append('-').Append(XtText.Address(range.MaxAddress!));
            }

            rangeText.Append(brackets ? "]" : string.Empty);
        }

        if (range.HasPorts)
        {
            rangeText.Append(':').Append(range.MinPort.ToString(CultureInfo.InvariantCulture));
            if (range.MaxPort != range.MinPort)
            {
                rangeText.Append('-').Append(range.MaxPort.ToString(CultureInfo.InvariantCulture));
            }

            if ((range.Flags & NatRangeFlags.ProtoOffset) != 0)
            {
                rangeText.Append('/').Append(range.BasePort.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (rangeText.Length > 0)
        {
            // MASQUERADE prints ports without the leading colon (skip_colon).
            string value = rangeText.ToString();
            if (IsMasquerade && value.StartsWith(':'))
            {
                value = value[1..];
            }

            text.Append(IsMasquerade ? " --to-ports " : " --to-source ").Append(value);
        }

        if (range.Random)
        {
            text.Append(" --random");
        }

        if (range.RandomFully)
        {
            text.Append(" --random-fully");
        }

        if (range.Persistent)
        {
            text.Append(" --persistent");
        }

        return text.ToString();
    }
}
