namespace SnatTools.Core.Nftables.Analysis;

/// <summary>The result of a routing lookup (fib): NFT_FIB_RESULT_* <paramref name="Result"/> for NFTA_FIB_F_* <paramref name="Flags"/>.</summary>
public sealed record FibOperand(uint Result, uint Flags) : NftOperand
{
    public const uint ResultOif = 1;
    public const uint ResultOifName = 2;
    public const uint ResultAddressType = 3;

    public override int Length => Result == ResultOifName ? 16 : 4;

    public override string ToString() => "fib";
}
