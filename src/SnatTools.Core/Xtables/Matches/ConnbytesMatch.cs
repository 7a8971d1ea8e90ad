using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m connbytes (uapi xt_connbytes.h struct xt_connbytes_info { struct { u64 from, to } count;
/// u8 what; u8 direction }), as libxt_connbytes.c connbytes_save prints it (from &gt; to means "!").
/// </summary>
public sealed class ConnbytesMatch : XtMatch
{
    private static readonly string[] Modes = ["packets", "bytes", "avgpkt"];
    private static readonly string[] Directions = ["original", "reply", "both"];

    private ConnbytesMatch(uint revision, byte[] info)
        : base("connbytes", revision, info)
    {
    }

    public static ConnbytesMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 24 ? new ConnbytesMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        ulong from = BinaryPrimitives.ReadUInt64LittleEndian(Info), to = BinaryPrimitives.ReadUInt64LittleEndian(Info.AsSpan(8));
        bool invert = from > to;
        if (invert)
        {
            (from, to) = (to, from);
        }

        string range = to != 0 && to < ulong.MaxValue ? $"{from}:{to}" : $"{from}";
        return $"{XtText.Not(invert)} --connbytes {range} --connbytes-mode {Word(Modes, Info[16])} --connbytes-dir {Word(Directions, Info[17])}";
    }

    private static string Word(string[] names, byte value) => value < names.Length ? names[value] : "unknown";
}
