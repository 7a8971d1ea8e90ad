using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>fib: a routing lookup (`fib saddr type local`); iptables-nft's -m addrtype translates to it in `nft list`.</summary>
public sealed class FibExpression : Expression
{
    public const string TypeName = "fib";

    private readonly Dictionary<ushort, uint> _values;

    private FibExpression(Dictionary<ushort, uint> values, ushort[] layout, byte[]? raw)
        : base(layout, raw) => _values = values;

    public override string Name => TypeName;

    public uint DestinationRegister => _values.GetValueOrDefault(NftaFib.DReg);

    /// <summary>NFT_FIB_RESULT_* (1 oif, 2 oifname, 3 addrtype).</summary>
    public uint Result => _values.GetValueOrDefault(NftaFib.Result);

    /// <summary>NFTA_FIB_F_* (1 saddr, 2 daddr, 4 mark, 8 iif, 16 oif, 32 present).</summary>
    public uint Flags => _values.GetValueOrDefault(NftaFib.Flags);

    public static FibExpression Decode(byte[] data)
    {
        var values = new Dictionary<ushort, uint>(3);
        var layout = new List<ushort>(3);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            if (attribute.Type is < NftaFib.DReg or > NftaFib.Flags)
            {
                throw Unexpected(TypeName, attribute.Type);
            }

            values[attribute.Type] = attribute.GetBe32();
        }

        return new FibExpression(values, [.. layout], data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType) => writer.PutBe32(rawType, _values[TypeOf(rawType)]);

    public override string ToString() => $"[ fib flags 0x{Flags:x} result {Result} => reg {DestinationRegister} ]";
}
