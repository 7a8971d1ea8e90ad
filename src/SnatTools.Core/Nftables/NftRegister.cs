namespace SnatTools.Core.Nftables;

/// <summary>enum nft_registers: 0 is the verdict register; 1..4 the 16-byte ones; 8..23 the 32-bit ones. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
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
