namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Bytes <paramref name="Offset"/>..+<paramref name="Size"/> of a wider value, read through a
/// register inside it: the port half of a map's `address . port` data, or the upper bound of an
/// interval.
/// </summary>
public sealed record SliceOperand(NftOperand Source, int Offset, int Size) : NftOperand
{
    public override int Length => Size;

    public override string ToString() => $"{Source}[{Offset}]";
}
