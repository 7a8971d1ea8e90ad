using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>payload: loads bytes of a packet header (base + offset, length) into a register, or writes them.</summary>
public sealed class PayloadExpression : Expression
{
    public const string TypeName = "payload";
    private static readonly ushort[] LoadLayout = [NftaPayload.DReg, NftaPayload.Base, NftaPayload.Offset, NftaPayload.Len];

    private readonly Dictionary<ushort, uint> _values;

    private PayloadExpression(Dictionary<ushort, uint> values, ushort[] layout, byte[]? raw)
        : base(layout, raw) => _values = values;

    public override string Name => TypeName;

    public uint? DestinationRegister => Get(NftaPayload.DReg);

    public uint? SourceRegister => Get(NftaPayload.SReg);

    /// <summary>NFT_PAYLOAD_* header base (<see cref="NftPayloadBase"/>).</summary>
    public uint Base => _values[NftaPayload.Base];

    public uint Offset => _values[NftaPayload.Offset];

    public uint Length => _values[NftaPayload.Len];

    public bool IsLoad => DestinationRegister is not null;

    public static PayloadExpression Load(uint payloadBase, uint offset, uint length, uint destinationRegister) =>
        new(new Dictionary<ushort, uint>
        {
            [NftaPayload.DReg] = destinationRegister,
            [NftaPayload.Base] = payloadBase,
            [NftaPayload.Offset] = offset,
            [NftaPayload.Len] = length,
        }, LoadLayout, null);

    public static PayloadExpression Decode(byte[] data)
    {
        var values = new Dictionary<ushort, uint>(4);
        var layout = new List<ushort>(4);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            if (attribute.Type is < NftaPayload.DReg or > NftaPayload.CsumFlags)
            {
                throw Unexpected(TypeName, attribute.Type);
            }

            values[attribute.Type] = attribute.GetBe32();
        }

        foreach (ushort required in (ReadOnlySpan<ushort>)[NftaPayload.Base, NftaPayload.Offset, NftaPayload.Len])
        {
            if (!values.ContainsKey(required))
            {
                throw Missing(TypeName, $"attribute {required}");
            }
        }

        return new PayloadExpression(values, [.. layout], data);
    }

    private uint? Get(ushort type) => _values.TryGetValue(type, out uint value) ? value : null;

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType) => writer.PutBe32(rawType, _values[TypeOf(rawType)]);

    public override string ToString() => IsLoad
        ? $"[ payload load {Length}b @ {BaseName(Base)} header + {Offset} => reg {DestinationRegister} ]"
        : $"[ payload write reg {SourceRegister} => {Length}b @ {BaseName(Base)} header + {Offset} ]";

    public static string BaseName(uint payloadBase) => payloadBase switch
    {
        NftPayloadBase.LinkLayer => "link",
        NftPayloadBase.Network => "network",
        NftPayloadBase.Transport => "transport",
        NftPayloadBase.Inner => "inner",
        _ => $"base {payloadBase}",
    };
}
