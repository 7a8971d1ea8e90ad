namespace SnatTools.Core.Nftables;

/// <summary>Verdict codes (uapi linux/netfilter.h NF_*, nf_tables.h enum nft_verdicts), as the signed value the kernel sends.</summary>
public static class NftVerdictCode
{
    public const int Drop = 0;
    public const int Accept = 1;
    public const int Stolen = 2;
    public const int Queue = 3;
    public const int Repeat = 4;
    public const int Continue = -1;
    public const int Break = -2;
    public const int Jump = -3;
    public const int Goto = -4;
    public const int Return = -5;
}
