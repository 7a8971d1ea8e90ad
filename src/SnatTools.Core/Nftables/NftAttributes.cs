namespace SnatTools.Core.Nftables;

// Attribute numbers from uapi linux/netfilter/nf_tables.h (6.1), checked against KERNEL-FACTS.md §3.
// One small class per enum, named after its prefix, so call sites read like the header.

/// <summary>enum nft_list_attributes.</summary>
public static class NftaList
{
    public const ushort Elem = 1;
}

/// <summary>enum nft_hook_attributes.</summary>
public static class NftaHook
{
    public const ushort HookNum = 1;
    public const ushort Priority = 2;
    public const ushort Dev = 3;
    public const ushort Devs = 4;
}

/// <summary>enum nft_table_attributes.</summary>
public static class NftaTable
{
    public const ushort Name = 1;
    public const ushort Flags = 2;
    public const ushort Use = 3;
    public const ushort Handle = 4;
    public const ushort Pad = 5;
    public const ushort UserData = 6;
    public const ushort Owner = 7;
}

/// <summary>enum nft_chain_attributes.</summary>
public static class NftaChain
{
    public const ushort Table = 1;
    public const ushort Handle = 2;
    public const ushort Name = 3;
    public const ushort Hook = 4;
    public const ushort Policy = 5;
    public const ushort Use = 6;
    public const ushort Type = 7;
    public const ushort Counters = 8;
    public const ushort Pad = 9;
    public const ushort Flags = 10;
    public const ushort Id = 11;
    public const ushort UserData = 12;
}

/// <summary>enum nft_rule_attributes.</summary>
public static class NftaRule
{
    public const ushort Table = 1;
    public const ushort Chain = 2;
    public const ushort Handle = 3;
    public const ushort Expressions = 4;
    public const ushort Compat = 5;
    public const ushort Position = 6;
    public const ushort UserData = 7;
    public const ushort Pad = 8;
    public const ushort Id = 9;
    public const ushort PositionId = 10;
    public const ushort ChainId = 11;
}

/// <summary>enum nft_rule_compat_attributes and NFT_RULE_COMPAT_F_*.</summary>
public static class NftaRuleCompat
{
    public const ushort Proto = 1;
    public const ushort Flags = 2;

    public const uint FlagInv = 2;
}

/// <summary>enum nft_expr_attributes.</summary>
public static class NftaExpr
{
    public const ushort Name = 1;
    public const ushort Data = 2;
}

/// <summary>enum nft_data_attributes.</summary>
public static class NftaData
{
    public const ushort Value = 1;
    public const ushort Verdict = 2;
}

/// <summary>enum nft_verdict_attributes.</summary>
public static class NftaVerdict
{
    public const ushort Code = 1;
    public const ushort Chain = 2;
    public const ushort ChainId = 3;
}

/// <summary>enum nft_gen_attributes.</summary>
public static class NftaGen
{
    public const ushort Id = 1;
    public const ushort ProcPid = 2;
    public const ushort ProcName = 3;
}

/// <summary>enum nft_set_attributes (the ones a reader needs) and enum nft_set_flags.</summary>
public static class NftaSet
{
    public const ushort Table = 1;
    public const ushort Name = 2;
    public const ushort Flags = 3;
    public const ushort KeyType = 4;
    public const ushort KeyLen = 5;
    public const ushort DataType = 6;
    public const ushort DataLen = 7;

    public const uint FlagAnonymous = 0x1;
    public const uint FlagConstant = 0x2;
    public const uint FlagInterval = 0x4;
    public const uint FlagMap = 0x8;
    public const uint FlagTimeout = 0x10;
    public const uint FlagEval = 0x20;
    public const uint FlagObject = 0x40;
    public const uint FlagConcat = 0x80;
}

/// <summary>enum nft_set_elem_list_attributes, enum nft_set_elem_attributes, NFT_SET_ELEM_INTERVAL_END.</summary>
public static class NftaSetElem
{
    public const ushort ListTable = 1;
    public const ushort ListSet = 2;
    public const ushort ListElements = 3;

    public const ushort Key = 1;
    public const ushort Data = 2;
    public const ushort Flags = 3;
    public const ushort KeyEnd = 10;

    public const uint FlagIntervalEnd = 0x1;
}
