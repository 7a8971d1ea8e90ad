using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m addrtype (uapi xt_addrtype.h): rev 1 struct xt_addrtype_info_v1 { u16 source, dest; u32 flags },
/// rev 0 struct xt_addrtype_info { u16 source, dest; u32 invert_source, invert_dest }.
/// </summary>
public sealed class AddrTypeMatch : XtMatch
{
    // extensions/libxt_addrtype.c rtn_names: bit i = RTN_i.
    private static readonly string[] TypeNames =
        ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"];

    private const uint InvertSource = 0x1;
    private const uint InvertDest = 0x2;
    private const uint LimitIfaceIn = 0x4;
    private const uint LimitIfaceOut = 0x8;

    private AddrTypeMatch(uint revision, byte[] info, ushort source, ushort dest, uint flags)
        : base("addrtype", revision, info)
    {
        Source = source;
        Dest = dest;
        Flags = flags;
    }

    public ushort Source { get; }

    public ushort Dest { get; }

    /// <summary>XT_ADDRTYPE_* flags (rev 0 is mapped onto them).</summary>
    public uint Flags { get; }

    public static AddrTypeMatch? Decode(uint revision, byte[] info)
    {
        if (revision == 1 && info.Length == 8)
        {
            return new AddrTypeMatch(1, info, BinaryPrimitives.ReadUInt16LittleEndian(info), BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(2)), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(4)));
        }

        if (revision == 0 && info.Length == 16)
        {
            uint flags = (BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(4)) != 0 ? InvertSource : 0)
                | (BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(8)) != 0 ? InvertDest : 0);
            return new AddrTypeMatch(0, info, BinaryPrimitives.ReadUInt16LittleEndian(info), BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(2)), flags);
        }

        return null;
    }

    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder();
        if (Source != 0)
        {
            text.Append(XtText.Not((Flags & InvertSource) != 0)).Append(" --src-type ").Append(Types(Source));
        }

        if (Dest != 0)
        {
            text.Append(XtText.Not((Flags & InvertDest) != 0)).Append(" --dst-type ").Append(Types(Dest));
        }

        if (Revision == 1 && (Flags & LimitIfaceIn) != 0)
        {
            text.Append(" --limit-iface-in");
        }

        if (Revision == 1 && (Flags & LimitIfaceOut) != 0)
        {
            text.Append(" --limit-iface-out");
        }

        return text.ToString();
    }

    private static string Types(ushort mask) =>
        string.Join(',', TypeNames.Where((_, bit) => (mask & (1 << bit)) != 0));
}
