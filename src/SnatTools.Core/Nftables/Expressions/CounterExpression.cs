using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>counter: packets and bytes that reached it. iptables-nft puts one in every rule.</summary>
public sealed class CounterExpression : Expression
{
    public const string TypeName = "counter";
    private static readonly ushort[] DefaultLayout = [NftaCounter.Bytes, NftaCounter.Packets];

    private CounterExpression(ulong bytes, ulong packets, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        Bytes = bytes;
        Packets = packets;
    }

    public CounterExpression(ulong packets, ulong bytes)
        : this(bytes, packets, DefaultLayout, null)
    {
    }

    public override string Name => TypeName;

    public ulong Bytes { get; }

    public ulong Packets { get; }

    public static CounterExpression Decode(byte[] data)
    {
        ulong? bytes = null, packets = null;
        var layout = new List<ushort>(2);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaCounter.Bytes: bytes = attribute.GetBe64(); break;
                case NftaCounter.Packets: packets = attribute.GetBe64(); break;
                case NftaCounter.Pad: if (attribute.Payload.Length != 0) { throw Unexpected(TypeName, attribute.Type); } break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        return new CounterExpression(bytes ?? throw Missing(TypeName, "NFTA_COUNTER_BYTES"), packets ?? throw Missing(TypeName, "NFTA_COUNTER_PACKETS"), [.. layout], data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaCounter.Bytes: writer.PutBe64(rawType, Bytes); break;
            case NftaCounter.Packets: writer.PutBe64(rawType, Packets); break;
            case NftaCounter.Pad: writer.PutAttribute(rawType, []); break;
        }
    }

    public override string ToString() => $"[ counter pkts {Packets} bytes {Bytes} ]";
}
