using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m length (uapi xt_length.h struct xt_length_info { u16 min, max; u8 invert }), as libxt_length.c length_save prints it.</summary>
public sealed class LengthMatch : XtMatch
{
    private LengthMatch(uint revision, byte[] info)
        : base("length", revision, info)
    {
    }

    public static LengthMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new LengthMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        ushort min = BinaryPrimitives.ReadUInt16LittleEndian(Info), max = BinaryPrimitives.ReadUInt16LittleEndian(Info.AsSpan(2));
        return $"{XtText.Not(Info[4] != 0)} --length {XtText.Range(min, max)}";
    }
}
