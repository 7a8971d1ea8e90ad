using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m connmark: rev 1 uapi xt_connmark.h struct xt_connmark_mtinfo1 { u32 mark, mask; u8 invert },
/// rev 0 struct xt_connmark_info { unsigned long mark, mask; u8 invert } (x86_64: 8-byte longs),
/// as libxt_connmark.c connmark_mt_save / connmark_save print them (both as 32-bit values).
/// </summary>
public sealed class ConnmarkMatch : XtMatch
{
    private ConnmarkMatch(uint revision, byte[] info, uint mark, uint mask, bool invert)
        : base("connmark", revision, info)
    {
        Mark = mark;
        Mask = mask;
        Invert = invert;
    }

    public uint Mark { get; }

    public uint Mask { get; }

    public bool Invert { get; }

    public static ConnmarkMatch? Decode(uint revision, byte[] info) => revision switch
    {
        1 when info.Length >= 9 => new ConnmarkMatch(1, info, BinaryPrimitives.ReadUInt32LittleEndian(info), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(4)), info[8] != 0),
        0 when info.Length >= 17 => new ConnmarkMatch(0, info, BinaryPrimitives.ReadUInt32LittleEndian(info), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(8)), info[16] != 0),
        _ => null,
    };

    public override string SaveOptions(XtSaveContext context) => $"{(Invert ? " !" : string.Empty)} --mark{XtText.MarkMask(Mark, Mask)}";
}
