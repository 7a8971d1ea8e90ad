namespace SnatTools.Core.Nftables.Analysis;

/// <summary>(source &amp; mask) ^ xor (bitwise): how nft writes address prefixes and mark masks.</summary>
public sealed record MaskedOperand(NftOperand Source, byte[] Mask, byte[] Xor) : NftOperand
{
    public override int Length => Source.Length;

    public override string ToString() => Source.ToString();
}
