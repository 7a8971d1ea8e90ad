using System.Globalization;

namespace SnatTools.Core.Nftables;

/// <summary>A verdict (NFTA_DATA_VERDICT): the code and, for jump/goto, the target chain.</summary>
public sealed record NftVerdict(int Code, string? Chain)
{
    public bool IsJumpOrGoto => Code is NftVerdictCode.Jump or NftVerdictCode.Goto;

    /// <summary>The verdict as `nft` prints it: accept, drop, return, jump X, goto X, continue.</summary>
    public override string ToString() => Code switch
    {
        NftVerdictCode.Accept => "accept",
        NftVerdictCode.Drop => "drop",
        NftVerdictCode.Return => "return",
        NftVerdictCode.Continue => "continue",
        NftVerdictCode.Break => "break",
        NftVerdictCode.Queue => "queue",
        NftVerdictCode.Stolen => "stolen",
        NftVerdictCode.Jump => $"jump {Chain}",
        NftVerdictCode.Goto => $"goto {Chain}",
        _ => Code.ToString(CultureInfo.InvariantCulture),
    };
}
