using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>range: tests a register against an inclusive range (iptables-nft uses it for port ranges).</summary>
public sealed class RangeExpression : Expression
{
    public const string TypeName = "range";
    private static readonly ushort[] DefaultLayout =
        [NftaRange.SReg, NftaRange.Op, NftaRange.FromData, NftaRange.ToData];

    private RangeExpression(uint sourceRegister, uint op, NftData from, NftData to, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        SourceRegister = sourceRegister;
        Op = op;
        From = from;
        To = to;
    }

    public RangeExpression(uint sourceRegister, uint op, byte[] from, byte[] to)
        : this(sourceRegister, op, NftData.FromValue(from), NftData.FromValue(to), DefaultLayout, null)
    {
    }

    public override string Name => TypeName;

    public uint SourceRegister { get; }

    /// <summary>NFT_RANGE_EQ or NFT_RANGE_NEQ.</summary>
    public uint Op { get; }

    public NftData From { get; }

    public NftData To { get; }

    public static RangeExpression Decode(byte[] data)
    {
        uint? register = null, op = null;
        NftData? from = null, to = null;
        var layout = new List<ushort>(4);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaRange.SReg: register = attribute.GetBe32(); break;
                case NftaRange.Op: op = attribute.GetBe32(); break;
                case NftaRange.FromData: from = NftData.Decode(attribute.Payload); break;
                case NftaRange.ToData: to = NftData.Decode(attribute.Payload); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        if (from?.Value is null || to?.Value is null)
        {
            throw Missing(TypeName, "NFTA_RANGE_FROM_DATA/TO_DATA values");
        }

        return new RangeExpression(register ?? throw Missing(TypeName, "NFTA_RANGE_SREG"), op ?? throw Missing(TypeName, "NFTA_RANGE_OP"), from, to, [.. layout], data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaRange.SReg: writer.PutBe32(rawType, SourceRegister); break;
            case NftaRange.Op: writer.PutBe32(rawType, Op); break;
            case NftaRange.FromData: From.Encode(writer, rawType); break;
            case NftaRange.ToData: To.Encode(writer, rawType); break;
        }
    }

    public override string ToString() => $"[ range {(Op == NftRangeOp.Neq ? "neq" : "eq")} reg {SourceRegister} {From} {To} ]";
}
