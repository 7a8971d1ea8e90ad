using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>bitwise: reg = (reg &amp; mask) ^ xor, or a shift; prefixes and mark masks are built with it.</summary>
public sealed class BitwiseExpression : Expression
{
    public const string TypeName = "bitwise";
    private static readonly ushort[] DefaultLayout =
        [NftaBitwise.SReg, NftaBitwise.DReg, NftaBitwise.Len, NftaBitwise.Op, NftaBitwise.Mask, NftaBitwise.Xor];

    private BitwiseExpression(uint sreg, uint dreg, uint length, uint? op, NftData? mask, NftData? xor, NftData? shift, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        SourceRegister = sreg;
        DestinationRegister = dreg;
        Length = length;
        Op = op;
        MaskData = mask;
        XorData = xor;
        ShiftData = shift;
    }

    public BitwiseExpression(uint register, byte[] mask, byte[] xor)
        : this(register, register, (uint)mask.Length, NftBitwiseOp.MaskXor, NftData.FromValue(mask), NftData.FromValue(xor), null, DefaultLayout, null)
    {
    }

    public override string Name => TypeName;

    public uint SourceRegister { get; }

    public uint DestinationRegister { get; }

    public uint Length { get; }

    /// <summary>NFT_BITWISE_* op; absent in dumps from kernels before 5.6 (then mask/xor).</summary>
    public uint? Op { get; }

    public NftData? MaskData { get; }

    public NftData? XorData { get; }

    public NftData? ShiftData { get; }

    public bool IsMaskXor => (Op ?? NftBitwiseOp.MaskXor) == NftBitwiseOp.MaskXor && MaskData?.Value is not null && XorData?.Value is not null;

    public byte[] Mask => MaskData?.Value ?? [];

    public byte[] Xor => XorData?.Value ?? [];

    public static BitwiseExpression Decode(byte[] data)
    {
        uint? sreg = null, dreg = null, length = null, op = null;
        NftData? mask = null, xor = null, shift = null;
        var layout = new List<ushort>(6);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaBitwise.SReg: sreg = attribute.GetBe32(); break;
                case NftaBitwise.DReg: dreg = attribute.GetBe32(); break;
                case NftaBitwise.Len: length = attribute.GetBe32(); break;
                case NftaBitwise.Op: op = attribute.GetBe32(); break;
                case NftaBitwise.Mask: mask = NftData.Decode(attribute.Payload); break;
                case NftaBitwise.Xor: xor = NftData.Decode(attribute.Payload); break;
                case NftaBitwise.Data: shift = NftData.Decode(attribute.Payload); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        return new BitwiseExpression(
            sreg ?? throw Missing(TypeName, "NFTA_BITWISE_SREG"),
            dreg ?? throw Missing(TypeName, "NFTA_BITWISE_DREG"),
            length ?? throw Missing(TypeName, "NFTA_BITWISE_LEN"),
            op, mask, xor, shift, [.. layout], data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaBitwise.SReg: writer.PutBe32(rawType, SourceRegister); break;
            case NftaBitwise.DReg: writer.PutBe32(rawType, DestinationRegister); break;
            case NftaBitwise.Len: writer.PutBe32(rawType, Length); break;
            case NftaBitwise.Op: writer.PutBe32(rawType, Op!.Value); break;
            case NftaBitwise.Mask: MaskData!.Encode(writer, rawType); break;
            case NftaBitwise.Xor: XorData!.Encode(writer, rawType); break;
            case NftaBitwise.Data: ShiftData!.Encode(writer, rawType); break;
        }
    }

    public override string ToString() => IsMaskXor
        ? $"[ bitwise reg {DestinationRegister} = ( reg {SourceRegister} & {MaskData} ) ^ {XorData} ]"
        : $"[ bitwise reg {DestinationRegister} = ( reg {SourceRegister} op {Op} {ShiftData} ) ]";
}
