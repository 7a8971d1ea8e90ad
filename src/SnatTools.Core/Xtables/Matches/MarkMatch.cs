using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m mark rev 1: struct xt_mark_mtinfo1 { u32 mark, mask; u8 invert } = 12, aligned 16 (uapi
/// xt_mark.h). Rev 0 (xt_mark_info) is gone from the uapi headers and the kernel accepts only rev 1.
/// iptables-nft writes mark matches as native meta mark/bitwise/cmp; its parser rebuilds this.
/// </summary>
public sealed class MarkMatch : XtMatch
{
    public MarkMatch(uint revision, byte[] info, uint mark, uint mask, bool invert)
        : base("mark", revision, info)
    {
        Mark = mark;
        Mask = mask;
        Invert = invert;
    }

    public uint Mark { get; }

    public uint Mask { get; }

    public bool Invert { get; }

    public static MarkMatch? Decode(uint revision, byte[] info) =>
        revision == 1 && info.Length == 16
            ? new MarkMatch(1, info, BinaryPrimitives.ReadUInt32LittleEndian(info), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(4)), info[8] != 0)
            : null;

    public override string SaveOptions(XtSaveContext context) => (Invert ? " !" : string.Empty) + " --mark" + XtText.MarkMask(Mark, Mask);
}
