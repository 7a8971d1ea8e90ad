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

/// <summary>enum nft_registers: 0 is the verdict register; 1..4 the 16-byte ones; 8..23 the 32-bit ones.</summary>
public static class NftRegister
{
    public const uint Verdict = 0;
    public const uint Reg1 = 1;
    public const uint Reg32First = 8;
    public const uint Reg32Last = 23;

    /// <summary>The 32-bit register index (0..15) a register number starts at, so overlapping loads can be compared.</summary>
    public static uint ToReg32Index(uint register) =>
        register is >= 1 and <= 4 ? (register - 1) * 4 : register - Reg32First;
}

/// <summary>enum nft_meta_keys (the ones the module names).</summary>
public static class NftMetaKey
{
    public const uint Len = 0;
    public const uint Protocol = 1;
    public const uint Priority = 2;
    public const uint Mark = 3;
    public const uint Iif = 4;
    public const uint Oif = 5;
    public const uint IifName = 6;
    public const uint OifName = 7;
    public const uint IifType = 8;
    public const uint OifType = 9;
    public const uint SkUid = 10;
    public const uint SkGid = 11;
    public const uint NfTrace = 12;
    public const uint RtClassId = 13;
    public const uint SecMark = 14;
    public const uint NfProto = 15;
    public const uint L4Proto = 16;
    public const uint BriIifName = 17;
    public const uint BriOifName = 18;
    public const uint PktType = 19;
}

/// <summary>enum nft_ct_keys (the ones the module names).</summary>
public static class NftCtKey
{
    public const uint State = 0;
    public const uint Direction = 1;
    public const uint Status = 2;
    public const uint Mark = 3;
}

/// <summary>enum nft_payload_bases.</summary>
public static class NftPayloadBase
{
    public const uint LinkLayer = 0;
    public const uint Network = 1;
    public const uint Transport = 2;
    public const uint Inner = 3;
}

/// <summary>enum nft_cmp_ops.</summary>
public static class NftCmpOp
{
    public const uint Eq = 0;
    public const uint Neq = 1;
    public const uint Lt = 2;
    public const uint Lte = 3;
    public const uint Gt = 4;
    public const uint Gte = 5;
}

/// <summary>enum nft_range_ops.</summary>
public static class NftRangeOp
{
    public const uint Eq = 0;
    public const uint Neq = 1;
}

/// <summary>enum nft_bitwise_ops.</summary>
public static class NftBitwiseOp
{
    public const uint MaskXor = 0;
    public const uint LeftShift = 1;
    public const uint RightShift = 2;
}

/// <summary>NFPROTO_* (uapi linux/netfilter.h): the nfgenmsg family of nf_tables tables.</summary>
public static class NfProto
{
    public const byte Unspec = 0;
    public const byte Inet = 1;
    public const byte IPv4 = 2;
    public const byte Arp = 3;
    public const byte Netdev = 5;
    public const byte Bridge = 7;
    public const byte IPv6 = 10;

    /// <summary>The family keyword `nft` prints: ip, ip6, inet, ...</summary>
    public static string Name(byte family) => family switch
    {
        IPv4 => "ip",
        IPv6 => "ip6",
        Inet => "inet",
        Arp => "arp",
        Bridge => "bridge",
        Netdev => "netdev",
        _ => family.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>enum nf_inet_hooks (uapi linux/netfilter.h).</summary>
public static class NfInetHook
{
    public const uint PreRouting = 0;
    public const uint LocalIn = 1;
    public const uint Forward = 2;
    public const uint LocalOut = 3;
    public const uint PostRouting = 4;
}
