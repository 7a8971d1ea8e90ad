namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Values loaded into consecutive registers and read as one key (`ip saddr . tcp dport`): each part
/// starts at a 32-bit register of its own, so each takes its length rounded up to 4 bytes.
/// </summary>
public sealed record ConcatOperand(IReadOnlyList<NftOperand> Parts) : NftOperand
{
    public override int Length => Parts.Sum(part => PaddedLength(part.Length));

    public static int PaddedLength(int length) => (length + 3) / 4 * 4;

    public override string ToString() => string.Join(" . ", Parts);
}
