using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m mark rev 1: struct xt_mark_mtinfo1 { u32 mark, mask; u8 invert } = 12, aligned 16 (uapi
/// xt_mark.h). Rev 0 (xt_mark_info) is gone from the uapi headers and the kernel accepts only rev 1.
/// iptables-nft writes mark matches as native meta mark/bitwise/cmp; its parser rebuilds this.
/// -m connmark has the same layout (xt_connmark_mtinfo1) and the same save (libxt_connmark.c
/// connmark_mt_save), so it is this type under its own name.
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

    /// <summary>-m mark or -m connmark (xt_connmark_mtinfo1 has the same layout; the kernel keeps only revision 1 of both).</summary>
    public static MarkMatch? Decode(string name, uint revision, byte[] info) =>
        revision == 1 && info.Length == 16
            ? new MarkMatch(name, 1, info, BinaryPrimitives.ReadUInt32LittleEndian(info), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(4)), info[8] != 0)
            : null;

    public override string SaveOptions(XtSaveContext context) => XtText.Not(Invert) + " --mark" + XtText.MarkMask(Mark, Mask);
}
