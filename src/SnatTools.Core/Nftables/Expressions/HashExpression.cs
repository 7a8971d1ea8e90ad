namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// hash: a jhash of <see cref="Length"/> bytes from a source register (or the symmetric hash of the
/// flow), modulo <see cref="Modulus"/>, plus <see cref="Offset"/> (`jhash ip saddr mod 2 seed 0x1`).
/// </summary>
public sealed class HashExpression : NumberAttributesExpression
{
    public const string TypeName = "hash";

    private HashExpression(Dictionary<ushort, uint> values, ushort[] layout, byte[] raw)
        : base(values, layout, raw)
    {
    }

    public override string Name => TypeName;

    /// <summary>NFT_HASH_JENKINS or NFT_HASH_SYM.</summary>
    public uint Type => Get(NftaHash.Type);

    public bool IsSymmetric => Type == NftaHash.TypeSymmetric;

    /// <summary>Where the hashed bytes start (jhash only).</summary>
    public uint? SourceRegister => Has(NftaHash.SReg) ? Get(NftaHash.SReg) : null;

    public uint DestinationRegister => Get(NftaHash.DReg);

    public uint Length => Get(NftaHash.Len);

    public uint Modulus => Get(NftaHash.Modulus);

    /// <summary>The seed, when one was given (nft sends the attribute only then).</summary>
    public uint? Seed => Has(NftaHash.Seed) ? Get(NftaHash.Seed) : null;

    public uint Offset => Get(NftaHash.Offset);

    public static HashExpression Decode(byte[] data)
    {
        var (values, layout) = DecodeNumbers(TypeName, data, NftaHash.Type, NftaHash.DReg, NftaHash.Modulus);
        return new HashExpression(values, layout, data);
    }

    public override string ToString() => IsSymmetric
        ? $"[ hash reg {DestinationRegister} = symhash() % mod {Modulus} offset {Offset} ]"
        : $"[ hash reg {DestinationRegister} = jhash(reg {SourceRegister}, {Length}, 0x{Seed ?? 0:x}) % mod {Modulus} offset {Offset} ]";
}
