using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m tcp / -m udp rev 0 (uapi xt_tcpudp.h: struct xt_tcp { u16 spts[2], dpts[2]; u8 option, flg_mask,
/// flg_cmp, invflags } = 12, struct xt_udp { u16 spts[2], dpts[2]; u8 invflags } = 10; both aligned
/// 16). iptables-nft writes
/// them as native payload matches; its parser rebuilds this struct, and so do we.
/// </summary>
public sealed class TcpUdpMatch : XtMatch
{
    private static readonly (byte Flag, string Name)[] TcpFlags =
        [(0x01, "FIN"), (0x02, "SYN"), (0x04, "RST"), (0x08, "PSH"), (0x10, "ACK"), (0x20, "URG"), (0x3f, "ALL")];

    public TcpUdpMatch(string name, uint revision, byte[] info, ushort[] sourcePorts, ushort[] destinationPorts, byte option, byte flagMask, byte flagCompare, byte invertFlags)
        : base(name, revision, info)
    {
        SourcePorts = sourcePorts;
        DestinationPorts = destinationPorts;
        Option = option;
        FlagMask = flagMask;
        FlagCompare = flagCompare;
        InvertFlags = invertFlags;
    }

    public bool IsTcp => Name == "tcp";

    public ushort[] SourcePorts { get; }

    public ushort[] DestinationPorts { get; }

    public byte Option { get; }

    public byte FlagMask { get; }

    public byte FlagCompare { get; }

    /// <summary>XT_TCP_INV_SRCPT 1, DSTPT 2, FLAGS 4, OPTION 8 (the UDP ones share 1 and 2).</summary>
    public byte InvertFlags { get; }

    /// <summary>
    /// print_tcpf knows FIN..URG only: for ECE or CWR (0x40, 0x80) it reads past its table, so there
    /// is no text to match; the flags are then shown in hex and the rule as not fully decoded.
    /// </summary>
    public override bool IsDecoded => ((FlagMask | FlagCompare) & ~0x3f) == 0;

    public static TcpUdpMatch? Decode(string name, uint revision, byte[] info)
    {
        bool tcp = name == "tcp";
        if (revision != 0 || info.Length != 16)
        {
            return null;
        }

        var span = info.AsSpan();
        ushort[] sports = [BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span[2..])];
        ushort[] dports = [BinaryPrimitives.ReadUInt16LittleEndian(span[4..]), BinaryPrimitives.ReadUInt16LittleEndian(span[6..])];
        return tcp
            ? new TcpUdpMatch(name, revision, info, sports, dports, span[8], span[9], span[10], span[11])
            : new TcpUdpMatch(name, revision, info, sports, dports, 0, 0, 0, span[8]);
    }

    /// <summary>The match iptables-nft's parser creates (xs_init_match: port ranges 0:65535).</summary>
    public static TcpUdpMatch Empty(bool tcp) => new(tcp ? "tcp" : "udp", 0, [], [0, 0xffff], [0, 0xffff], 0, 0, 0, 0);

    public TcpUdpMatch With(ushort[]? sourcePorts = null, ushort[]? destinationPorts = null, byte? invertFlags = null, byte? flagMask = null, byte? flagCompare = null) =>
        new(Name, Revision, Info, sourcePorts ?? SourcePorts, destinationPorts ?? DestinationPorts, Option, flagMask ?? FlagMask, flagCompare ?? FlagCompare, invertFlags ?? InvertFlags);

    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder();
        AppendPorts(text, "sport", SourcePorts, (InvertFlags & 0x01) != 0);
        AppendPorts(text, "dport", DestinationPorts, (InvertFlags & 0x02) != 0);
        if (IsTcp && (Option != 0 || (InvertFlags & 0x08) != 0))
        {
            text.Append(XtText.Not((InvertFlags & 0x08) != 0)).Append(" --tcp-option ").Append(Option);
        }

        if (IsTcp && (FlagMask != 0 || (InvertFlags & 0x04) != 0))
        {
            text.Append(XtText.Not((InvertFlags & 0x04) != 0)).Append(" --tcp-flags ").Append(FlagNames(FlagMask)).Append(' ').Append(FlagNames(FlagCompare));
        }

        return text.ToString();
    }

    private static void AppendPorts(StringBuilder text, string option, ushort[] ports, bool invert)
    {
        if (ports[0] == 0 && ports[1] == 0xffff)
        {
            return;
        }

        text.Append(XtText.Not(invert)).Append(" --").Append(option).Append(' ').Append(XtText.Range(ports[0], ports[1]));
    }

    /// <summary>print_tcpf: the first table entry whose bit is set, repeatedly (so 0x3f prints FIN,SYN,...).</summary>
    private static string FlagNames(byte flags)
    {
        if (flags == 0)
        {
            return "NONE";
        }

        var names = new List<string>();
        if ((flags & ~0x3f) != 0)
        {
            return $"0x{flags:x2}";
        }

        while (flags != 0)
        {
            var entry = TcpFlags.First(f => (flags & f.Flag) != 0);
            names.Add(entry.Name);
            flags &= (byte)~entry.Flag;
        }

        return string.Join(',', names);
    }
}
