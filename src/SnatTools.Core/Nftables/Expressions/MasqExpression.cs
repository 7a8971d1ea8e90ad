using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>masq: nft `masquerade [to :ports] [random,fully-random,persistent]`; ports come from registers.</summary>
public sealed class MasqExpression : Expression, INatExpression
{
    public const string TypeName = "masq";

    private MasqExpression(NatRangeFlags flags, uint? protoMin, uint? protoMax, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        Flags = flags;
        ProtoMinRegister = protoMin;
        ProtoMaxRegister = protoMax;
    }

    public override string Name => TypeName;

    /// <summary>NFTA_MASQ_FLAGS (absent in the dump when zero).</summary>
    public NatRangeFlags Flags { get; }

    public uint? ProtoMinRegister { get; }

    public uint? ProtoMaxRegister { get; }

    public static MasqExpression Create(NatRangeFlags flags) =>
        new(flags, null, null, flags == NatRangeFlags.None ? [] : [NftaMasq.Flags], null);

    public static MasqExpression Decode(byte[] data)
    {
        uint flags = 0;
        uint? min = null, max = null;
        var layout = new List<ushort>(3);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaMasq.Flags: flags = attribute.GetBe32(); break;
                case NftaMasq.RegProtoMin: min = attribute.GetBe32(); break;
                case NftaMasq.RegProtoMax: max = attribute.GetBe32(); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        return new MasqExpression((NatRangeFlags)flags, min, max, [.. layout], data);
    }

    /// <summary>Kernel order (nft_masq_dump): FLAGS only when non-zero, first.</summary>
    public Expression WithFlags(NatRangeFlags flags)
    {
        var layout = Layout.Where(type => TypeOf(type) != NftaMasq.Flags).ToList();
        if (flags != NatRangeFlags.None)
        {
            layout.Insert(0, NftaMasq.Flags);
        }

        return new MasqExpression(flags, ProtoMinRegister, ProtoMaxRegister, [.. layout], null);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaMasq.Flags: writer.PutBe32(rawType, (uint)Flags); break;
            case NftaMasq.RegProtoMin: writer.PutBe32(rawType, ProtoMinRegister!.Value); break;
            case NftaMasq.RegProtoMax: writer.PutBe32(rawType, ProtoMaxRegister!.Value); break;
        }
    }

    public override string ToString() =>
        $"[ masq{(ProtoMinRegister is { } min ? $" proto_min reg {min} proto_max reg {ProtoMaxRegister}" : string.Empty)}{(Flags != 0 ? $" flags 0x{(uint)Flags:x}" : string.Empty)} ]";
}
