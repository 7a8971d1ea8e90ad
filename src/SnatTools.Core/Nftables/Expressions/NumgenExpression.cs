namespace SnatTools.Core.Nftables.Expressions;

/// <summary>numgen: a number from a counter or at random, modulo <see cref="Modulus"/>, plus <see cref="Offset"/> (`numgen inc mod 2`).</summary>
public sealed class NumgenExpression : NumberAttributesExpression
{
    public const string TypeName = "numgen";

    private NumgenExpression(Dictionary<ushort, uint> values, ushort[] layout, byte[] raw)
        : base(values, layout, raw)
    {
    }

    public override string Name => TypeName;

    public uint DestinationRegister => Get(NftaNumgen.DReg);

    public uint Modulus => Get(NftaNumgen.Modulus);

    /// <summary>NFT_NG_INCREMENTAL or NFT_NG_RANDOM.</summary>
    public uint Type => Get(NftaNumgen.Type);

    public uint Offset => Get(NftaNumgen.Offset);

    public static NumgenExpression Decode(byte[] data)
    {
        var (values, layout) = DecodeNumbers(TypeName, data, NftaNumgen.Offset, NftaNumgen.DReg, NftaNumgen.Modulus, NftaNumgen.Type);
        return new NumgenExpression(values, layout, data);
    }

    public override string ToString() =>
        $"[ numgen reg {DestinationRegister} = {(Type == NftaNumgen.TypeRandom ? "random" : "inc")} mod {Modulus}{(Offset != 0 ? $" offset {Offset}" : string.Empty)} ]";
}
