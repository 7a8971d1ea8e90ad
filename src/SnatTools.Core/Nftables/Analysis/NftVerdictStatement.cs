namespace SnatTools.Core.Nftables.Analysis;

/// <summary>An immediate verdict: accept, drop, return, jump X, goto X.</summary>
public sealed record NftVerdictStatement(NftVerdict Verdict) : NftStatement
{
    public override string ToString() => $"[ immediate {Verdict} ]";
}
