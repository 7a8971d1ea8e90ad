namespace SnatTools.Core.Nftables.Analysis;

/// <summary>cmp: <paramref name="Left"/> compared with a constant (NFT_CMP_* <paramref name="Op"/>).</summary>
public sealed record NftComparison(NftOperand Left, uint Op, byte[] Value) : NftStatement
{
    public override string ToString() => $"[ cmp {Expressions.CmpExpression.OpName(Op)} {Left} 0x{Convert.ToHexString(Value).ToLowerInvariant()} ]";
}
