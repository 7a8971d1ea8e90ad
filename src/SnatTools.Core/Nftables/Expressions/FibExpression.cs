namespace SnatTools.Core.Nftables.Expressions;

/// <summary>fib: a routing lookup (`fib saddr type local`); iptables-nft's -m addrtype translates to it in `nft list`.</summary>
public sealed class FibExpression : NumberAttributesExpression
{
    public const string TypeName = "fib";

    private FibExpression(Dictionary<ushort, uint> values, ushort[] layout, byte[] raw)
        : base(values, layout, raw)
    {
    }

    public override string Name => TypeName;

    public uint DestinationRegister => Get(NftaFib.DReg);

    /// <summary>NFT_FIB_RESULT_* (1 oif, 2 oifname, 3 addrtype).</summary>
    public uint Result => Get(NftaFib.Result);

    /// <summary>NFTA_FIB_F_* (1 saddr, 2 daddr, 4 mark, 8 iif, 16 oif, 32 present).</summary>
    public uint Flags => Get(NftaFib.Flags);

    public static FibExpression Decode(byte[] data)
    {
        var (values, layout) = DecodeNumbers(TypeName, data, NftaFib.Flags);
        return new FibExpression(values, layout, data);
    }

    public override string ToString() => $"[ fib flags 0x{Flags:x} result {Result} => reg {DestinationRegister} ]";
}
