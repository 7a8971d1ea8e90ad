using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m mark: rev 1 struct xt_mark_mtinfo1 { u32 mark, mask; u8 invert } (uapi xt_mark.h);
/// rev 0 struct xt_mark_info { unsigned long mark, mask; u8 invert } (64-bit longs on x86_64).
/// iptables-nft writes mark matches as native meta mark/bitwise/cmp; its parser rebuilds this.
/// -m connmark has the same layouts (xt_connmark_mtinfo1, xt_connmark_info) and the same save
/// (libxt_connmark.c connmark_mt_save / connmark_save), so it is this type under its own name.
/// </summary>
public sealed class MarkMatch : XtMatch
{
    public MarkMatch(uint revision, byte[] info, uint mark, uint mask, bool invert)
        : this("mark", revision, info, mark, mask, invert)
    {
    }

    private MarkMatch(string name, uint revision, byte[] info, uint mark, uint mask, bool invert)
        : base(name, revision, info)
    {
        Mark = mark;
        Mask = mask;
        Invert = invert;
    }

    public uint Mark { get; }

    public uint Mask { get; }

    public bool Invert { get; }

    public static MarkMatch? Decode(uint revision, byte[] info) => Decode("mark", revision, info);

    /// <summary>-m mark or -m connmark.</summary>
    public static MarkMatch? Decode(string name, uint revision, byte[] info) => revision switch
    {
        1 when info.Length >= 9 => new MarkMatch(name, 1, info, BinaryPrimitives.ReadUInt32LittleEndian(info), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(4)), info[8] != 0),
        0 when info.Length >= 17 => new MarkMatch(name, 0, info, (uint)BinaryPrimitives.ReadUInt64LittleEndian(info), (uint)BinaryPrimitives.ReadUInt64LittleEndian(info.AsSpan(8)), info[16] != 0),
        _ => null,
    };

    public override string SaveOptions(XtSaveContext context) => (Invert ? " !" : string.Empty) + " --mark" + XtText.MarkMask(Mark, Mask);
}
