using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>nat: nft `snat`/`dnat [ip|ip6] to addr[-addr][:port[-port]] [flags]`; addresses and ports come from registers.</summary>
public sealed class NatExpression : Expression, INatExpression
{
    public const string TypeName = "nat";

    private readonly Dictionary<ushort, uint> _registers;

    private NatExpression(uint natType, uint family, NatRangeFlags flags, Dictionary<ushort, uint> registers, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        NatType = natType;
        Family = family;
        Flags = flags;
        _registers = registers;
    }

    public override string Name => TypeName;

    /// <summary>
    /// A snat/dnat expression in the kernel's dump order; the register arguments name where earlier
    /// immediates loaded the addresses and ports (null when absent).
    /// </summary>
    public static NatExpression Create(uint natType, byte family, NatRangeFlags flags, uint? addressMin, uint? addressMax, uint? protoMin, uint? protoMax)
    {
        var registers = new Dictionary<ushort, uint>();
        var layout = new List<ushort> { NftaNat.Type, NftaNat.Family };
        foreach (var (type, register) in (ReadOnlySpan<(ushort, uint?)>)[(NftaNat.RegAddrMin, addressMin), (NftaNat.RegAddrMax, addressMax), (NftaNat.RegProtoMin, protoMin), (NftaNat.RegProtoMax, protoMax)])
        {
            if (register is { } value)
            {
                registers[type] = value;
                layout.Add(type);
            }
        }

        if (flags != NatRangeFlags.None)
        {
            layout.Add(NftaNat.Flags);
        }

        return new NatExpression(natType, family, flags, registers, [.. layout], null);
    }

    /// <summary>NFT_NAT_SNAT (0) or NFT_NAT_DNAT (1).</summary>
    public uint NatType { get; }

    public bool IsSnat => NatType == NftaNat.TypeSnat;

    /// <summary>NFPROTO_IPV4 or NFPROTO_IPV6: the address family of the registers.</summary>
    public uint Family { get; }

    public NatRangeFlags Flags { get; }

    public uint? AddressMinRegister => Get(NftaNat.RegAddrMin);

    public uint? AddressMaxRegister => Get(NftaNat.RegAddrMax);

    public uint? ProtoMinRegister => Get(NftaNat.RegProtoMin);

    public uint? ProtoMaxRegister => Get(NftaNat.RegProtoMax);

    public static NatExpression Decode(byte[] data)
    {
        uint? type = null, family = null;
        uint flags = 0;
        var registers = new Dictionary<ushort, uint>(4);
        var layout = new List<ushort>(7);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaNat.Type: type = attribute.GetBe32(); break;
                case NftaNat.Family: family = attribute.GetBe32(); break;
                case NftaNat.Flags: flags = attribute.GetBe32(); break;
                case NftaNat.RegAddrMin or NftaNat.RegAddrMax or NftaNat.RegProtoMin or NftaNat.RegProtoMax:
                    registers[attribute.Type] = attribute.GetBe32();
                    break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        return new NatExpression(type ?? throw Missing(TypeName, "NFTA_NAT_TYPE"), family ?? throw Missing(TypeName, "NFTA_NAT_FAMILY"), (NatRangeFlags)flags, registers, [.. layout], data);
    }

    /// <summary>Kernel order (nft_nat_dump): FLAGS only when non-zero, last.</summary>
    public Expression WithFlags(NatRangeFlags flags)
    {
        var layout = Layout.Where(type => TypeOf(type) != NftaNat.Flags).ToList();
        if (flags != NatRangeFlags.None)
        {
            layout.Add(NftaNat.Flags);
        }

        return new NatExpression(NatType, Family, flags, _registers, [.. layout], null);
    }

    private uint? Get(ushort type) => _registers.TryGetValue(type, out uint value) ? value : null;

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaNat.Type: writer.PutBe32(rawType, NatType); break;
            case NftaNat.Family: writer.PutBe32(rawType, Family); break;
            case NftaNat.Flags: writer.PutBe32(rawType, (uint)Flags); break;
            default: writer.PutBe32(rawType, _registers[TypeOf(rawType)]); break;
        }
    }

    public override string ToString() =>
        $"[ nat {(IsSnat ? "snat" : "dnat")} {NfProto.Name((byte)Family)} addr_min reg {AddressMinRegister} addr_max reg {AddressMaxRegister} proto_min reg {ProtoMinRegister} proto_max reg {ProtoMaxRegister} flags 0x{(uint)Flags:x} ]";
}
