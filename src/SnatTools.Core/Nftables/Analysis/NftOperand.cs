namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// What an nf_tables register holds at one point of a rule: a packet field, packet metadata,
/// conntrack state, a routing lookup, a constant, or one of those masked. The analyser builds
/// operands from the load expressions; comparisons, lookups and NAT statements then name operands
/// instead of register numbers.
/// </summary>
public abstract record NftOperand
{
    /// <summary>How many bytes of register space the value takes.</summary>
    public abstract int Length { get; }
}
