namespace SnatTools.Core.Nftables;

/// <summary>NFTA_MATCH_* and NFTA_TARGET_* (uapi nf_tables_compat.h); both use the same numbers.</summary>
public static class NftaCompat
{
    public const ushort Name = 1;
    public const ushort Rev = 2;
    public const ushort Info = 3;
}
