namespace SnatTools.Core.Nftables.Expressions;

/// <summary>byteorder: converts a register between host and network byte order (nft adds it before interval maps keyed by host-order numbers).</summary>
public sealed class ByteorderExpression : NumberAttributesExpression
{
    public const string TypeName = "byteorder";

    private ByteorderExpression(Dictionary<ushort, uint> values, ushort[] layout, byte[] raw)
        : base(values, layout, raw)
    {
    }

    public override string Name => TypeName;

    public uint SourceRegister => Get(NftaByteorder.SReg);

    public uint DestinationRegister => Get(NftaByteorder.DReg);

    /// <summary>NFT_BYTEORDER_NTOH or NFT_BYTEORDER_HTON.</summary>
    public uint Op => Get(NftaByteorder.Op);

    public uint Length => Get(NftaByteorder.Len);

    /// <summary>The size of each converted word (2 or 4 bytes).</summary>
    public uint Size => Get(NftaByteorder.Size);

    public static ByteorderExpression Decode(byte[] data)
    {
        var (values, layout) = DecodeNumbers(TypeName, data, NftaByteorder.Size, NftaByteorder.SReg, NftaByteorder.DReg, NftaByteorder.Op, NftaByteorder.Len, NftaByteorder.Size);
        return new ByteorderExpression(values, layout, data);
    }

    public override string ToString() =>
        $"[ byteorder reg {DestinationRegister} = {(Op == NftaByteorder.HostToNetwork ? "hton" : "ntoh")}(reg {SourceRegister}, {Size}, {Length}) ]";
}
