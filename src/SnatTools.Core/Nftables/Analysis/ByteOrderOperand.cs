namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// <paramref name="Source"/> converted to network byte order (<paramref name="ToNetwork"/>) or back
/// (byteorder): the same value, other bytes. nft converts host-order numbers this way before
/// looking them up in an interval map.
/// </summary>
public sealed record ByteOrderOperand(NftOperand Source, bool ToNetwork) : NftOperand
{
    public override int Length => Source.Length;

    public override string ToString() => Source.ToString();
}
