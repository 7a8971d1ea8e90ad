using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m sctp rev 0 (uapi xt_sctp.h): struct xt_sctp_info { u16 dpts[2], spts[2]; u32 chunkmap[64];
/// u32 chunk_match_type; struct xt_sctp_flag_info { u8 chunktype, flag, flag_mask } flag_info[4];
/// int flag_count; u32 flags, invflags } = 292, aligned 296.
/// </summary>
public sealed class SctpMatch : XtMatch
{
    private const int Size = 296;
    private const int ChunkMap = 8, MatchType = 264, FlagInfo = 268, FlagCount = 280, Flags = 284, InvFlags = 288;
    private const uint SrcPorts = 1, DestPorts = 2, ChunkTypes = 4;  // XT_SCTP_*

    /// <summary>libxt_sctp's sctp_chunk_names: name, chunk type and flag letters, in table order.</summary>
    private static readonly (string Name, int Type, string Flags)[] Chunks =
    [
        ("DATA", 0, "----IUBE"), ("INIT", 1, "--------"), ("INIT_ACK", 2, "--------"), ("SACK", 3, "--------"),
        ("HEARTBEAT", 4, "--------"), ("HEARTBEAT_ACK", 5, "--------"), ("ABORT", 6, "-------T"), ("SHUTDOWN", 7, "--------"),
        ("SHUTDOWN_ACK", 8, "--------"), ("ERROR", 9, "--------"), ("COOKIE_ECHO", 10, "--------"), ("COOKIE_ACK", 11, "--------"),
        ("ECN_ECNE", 12, "--------"), ("ECN_CWR", 13, "--------"), ("SHUTDOWN_COMPLETE", 14, "-------T"), ("I_DATA", 64, "----IUBE"),
        ("RE_CONFIG", 130, "--------"), ("PAD", 132, "--------"), ("ASCONF", 193, "--------"), ("ASCONF_ACK", 128, "--------"),
        ("FORWARD_TSN", 192, "--------"), ("I_FORWARD_TSN", 194, "--------"),
    ];

    private SctpMatch(byte[] info)
        : base("sctp", 0, info)
    {
    }

    public static SctpMatch? Decode(uint revision, byte[] info)
    {
        if (revision != 0 || info.Length != Size)
        {
            return null;
        }

        // print_chunk_flags looks a chunk's flag letters up by table index, not by type: a flagged
        // chunk type past the table reads beyond it in iptables, so there is no text to match.
        int count = XtBlob.I32(info, FlagCount);
        if (count is < 0 or > 4)
        {
            return null;
        }

        // print_chunks prints "Never reach here" and a newline for a match type that is not exactly
        // one of any/all/only (the kernel accepts e.g. any|all): no line to match.
        if ((XtBlob.U32(info, Flags) & ChunkTypes) != 0 && XtBlob.U32(info, MatchType) is not (1 or 2 or 4))
        {
            return null;
        }

        for (int j = 0; j < count; j++)
        {
            var entry = info.AsSpan(FlagInfo + (3 * j), 3);
            if (entry[2] != 0 && entry[0] >= Chunks.Length && IsSet(info, entry[0]))
            {
                return null;
            }
        }

        return new SctpMatch(info);
    }

    /// <summary>sctp_save: "[!] --sport a[:b]", "[!] --dport a[:b]", "[!] --chunk-types any|all|only list".</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        uint flags = XtBlob.U32(Info, Flags), inv = XtBlob.U32(Info, InvFlags);
        var text = new StringBuilder();
        AppendPorts(text, flags, inv, SrcPorts, " --sport ", 4);
        AppendPorts(text, flags, inv, DestPorts, " --dport ", 0);
        if ((flags & ChunkTypes) != 0)
        {
            text.Append(XtText.Not((inv & ChunkTypes) != 0)).Append(" --chunk-types");
            AppendChunks(text);
        }

        return text.ToString();
    }

    private static bool IsSet(ReadOnlySpan<byte> info, int type) => (XtBlob.U32(info, ChunkMap + (4 * (type / 32))) & (1u << (type % 32))) != 0;

    private void AppendPorts(StringBuilder text, uint flags, uint inv, uint flag, string option, int offset)
    {
        if ((flags & flag) == 0)
        {
            return;
        }

        ushort min = XtBlob.U16(Info, offset), max = XtBlob.U16(Info, offset + 2);
        text.Append(XtText.Not((inv & flag) != 0)).Append(option).Append(XtText.Range(min, max));
    }

    /// <summary>print_chunks (not numeric): the match type, then NONE, ALL, or each set chunk's name with its flags.</summary>
    private void AppendChunks(StringBuilder text)
    {
        text.Append(XtBlob.U32(Info, MatchType) switch
        {
            1 => " any",
            2 => " all",
            _ => " only",
        });

        var map = Info.AsSpan(ChunkMap, 256);
        if (!map.ContainsAnyExcept((byte)0))
        {
            text.Append(" NONE");
            return;
        }

        if (!map.ContainsAnyExcept((byte)0xff))
        {
            text.Append(" ALL");
            return;
        }

        bool first = true;
        int count = XtBlob.I32(Info, FlagCount);
        for (int type = 0; type < 256; type++)
        {
            if (!IsSet(Info, type))
            {
                continue;
            }

            text.Append(first ? ' ' : ',');
            first = false;

            // print_chunk prints the name of every table entry with that type: none for an unnamed one.
            foreach (var chunk in Chunks.Where(c => c.Type == type))
            {
                text.Append(chunk.Name);
            }

            for (int j = 0; j < count; j++)
            {
                var entry = Info.AsSpan(FlagInfo + (3 * j), 3);
                if (entry[0] == type)
                {
                    AppendChunkFlags(text, type, entry[1], entry[2]);
                }
            }
        }
    }

    /// <summary>print_chunk_flags: ":" then, bit 7 down to 0 of the mask, the letter upper-case when set, lower-case when clear.</summary>
    private static void AppendChunkFlags(StringBuilder text, int type, byte flag, byte mask)
    {
        if (mask == 0)
        {
            return;
        }

        text.Append(':');
        for (int i = 7; i >= 0; i--)
        {
            if ((mask & (1 << i)) != 0)
            {
                char letter = Chunks[type].Flags[7 - i];
                text.Append((flag & (1 << i)) != 0 ? letter : char.ToLowerInvariant(letter));
            }
        }
    }
}
