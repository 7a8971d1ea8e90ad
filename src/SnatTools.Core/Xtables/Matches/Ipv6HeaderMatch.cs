using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m ipv6header (uapi netfilter_ipv6/ip6t_ipv6header.h struct ip6t_ipv6header_info { u8 matchflags;
/// u8 invflags; u8 modeflag }), as libip6t_ipv6header.c ipv6header_save prints it: each header bit
/// by proto_to_name (the system protocol name, else the extension's own table).
/// </summary>
public sealed class Ipv6HeaderMatch : XtMatch
{
    // chain_flags: mask bit -> protocol; chain_protos: the fallback names.
    private static readonly (byte Mask, int Protocol, string Name)[] Headers =
    [
        (128, 0, "hop-by-hop"), (64, 60, "dst"), (32, 43, "route"), (16, 44, "frag"),
        (8, 51, "auth"), (4, 50, "esp"), (2, 59, "none"), (1, 255, "protocol"),
    ];

    private Ipv6HeaderMatch(uint revision, byte[] info)
        : base("ipv6header", revision, info)
    {
    }

    public static Ipv6HeaderMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new Ipv6HeaderMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        var names = Headers.Where(h => (Info[0] & h.Mask) != 0)
            .Select(h => (h.Protocol != 0 ? ProtocolNames.FromSystem(h.Protocol) : null) ?? h.Name).ToList();
        var text = new StringBuilder(XtText.Not(Info[1] != 0)).Append(" --header ");
        text.Append(names.Count == 0 ? "NONE" : string.Join(',', names));
        return Info[2] != 0 ? text.Append(" --soft").ToString() : text.ToString();
    }
}
