using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>immediate: loads a constant into a register, or sets the verdict (accept, jump X, ...).</summary>
public sealed class ImmediateExpression : Expression
{
    public const string TypeName = "immediate";
    private static readonly ushort[] DefaultLayout = [NftaImmediate.DReg, NftaImmediate.Data];

    private ImmediateExpression(uint destinationRegister, NftData data, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        DestinationRegister = destinationRegister;
        Data = data;
    }

    public ImmediateExpression(uint destinationRegister, NftData data)
        : this(destinationRegister, data, DefaultLayout, null)
    {
    }

    public override string Name => TypeName;

    public uint DestinationRegister { get; }

    public NftData Data { get; }

    /// <summary>The verdict when this sets the verdict register; null when it loads a value.</summary>
    public NftVerdict? Verdict => DestinationRegister == NftRegister.Verdict ? Data.Verdict : null;

    public static ImmediateExpression Decode(byte[] data)
    {
        uint? register = null;
        NftData? value = null;
        var layout = new List<ushort>(2);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaImmediate.DReg: register = attribute.GetBe32(); break;
                case NftaImmediate.Data: value = NftData.Decode(attribute.Payload); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        return new ImmediateExpression(
            register ?? throw Missing(TypeName, "NFTA_IMMEDIATE_DREG"),
            value ?? throw Missing(TypeName, "NFTA_IMMEDIATE_DATA"),
            [.. layout],
            data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaImmediate.DReg: writer.PutBe32(rawType, DestinationRegister); break;
            case NftaImmediate.Data: Data.Encode(writer, rawType); break;
        }
    }

    public override string ToString() => $"[ immediate reg {DestinationRegister} {Data} ]";
}
