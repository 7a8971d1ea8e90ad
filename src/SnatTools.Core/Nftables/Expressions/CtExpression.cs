using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>ct: loads conntrack state (state, status, mark, ...) into a register, or sets it.</summary>
public sealed class CtExpression : Expression
{
    public const string TypeName = "ct";

    private CtExpression(uint key, uint? dreg, uint? sreg, byte? direction, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        Key = key;
        DestinationRegister = dreg;
        SourceRegister = sreg;
        Direction = direction;
    }

    public override string Name => TypeName;

    /// <summary>NFT_CT_* (<see cref="NftCtKey"/>).</summary>
    public uint Key { get; }

    public uint? DestinationRegister { get; }

    public uint? SourceRegister { get; }

    public byte? Direction { get; }

    public static CtExpression Decode(byte[] data)
    {
        uint? key = null, dreg = null, sreg = null;
        byte? direction = null;
        var layout = new List<ushort>(3);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaCt.Key: key = attribute.GetBe32(); break;
                case NftaCt.DReg: dreg = attribute.GetBe32(); break;
                case NftaCt.SReg: sreg = attribute.GetBe32(); break;
                case NftaCt.Direction: direction = attribute.GetU8(); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        return new CtExpression(key ?? throw Missing(TypeName, "NFTA_CT_KEY"), dreg, sreg, direction, [.. layout], data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaCt.Key: writer.PutBe32(rawType, Key); break;
            case NftaCt.DReg: writer.PutBe32(rawType, DestinationRegister!.Value); break;
            case NftaCt.SReg: writer.PutBe32(rawType, SourceRegister!.Value); break;
            case NftaCt.Direction: writer.PutU8(rawType, Direction!.Value); break;
        }
    }

    public override string ToString() => DestinationRegister is { } d ? $"[ ct load {KeyName(Key)} => reg {d} ]" : $"[ ct set {KeyName(Key)} with reg {SourceRegister} ]";

    public static string KeyName(uint key) => key switch
    {
        NftCtKey.State => "state",
        NftCtKey.Direction => "direction",
        NftCtKey.Status => "status",
        NftCtKey.Mark => "mark",
        _ => $"key {key}",
    };
}
