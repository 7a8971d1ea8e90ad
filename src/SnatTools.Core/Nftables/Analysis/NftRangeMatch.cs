namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// <paramref name="Left"/> within [<paramref name="From"/>, <paramref name="To"/>] (or outside it):
/// a range expression, or the "&gt;= from" then "&lt;= to" pair nft writes for `a-b`.
/// </summary>
public sealed record NftRangeMatch(NftOperand Left, bool Negated, byte[] From, byte[] To) : NftStatement
{
    public override string ToString() =>
        $"[ range {(Negated ? "neq" : "eq")} {Left} 0x{Convert.ToHexString(From).ToLowerInvariant()} 0x{Convert.ToHexString(To).ToLowerInvariant()} ]";
}
