using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>cmp: compares a register with a constant (eq, neq, lt, lte, gt, gte).</summary>
public sealed class CmpExpression : Expression
{
    public const string TypeName = "cmp";
    private static readonly ushort[] DefaultLayout = [NftaCmp.SReg, NftaCmp.Op, NftaCmp.Data];

    private CmpExpression(uint sourceRegister, uint op, NftData data, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        SourceRegister = sourceRegister;
        Op = op;
        Data = data;
    }

    public CmpExpression(uint sourceRegister, uint op, byte[] value)
        : this(sourceRegister, op, NftData.FromValue(value), DefaultLayout, null)
    {
    }

    public override string Name => TypeName;

    public uint SourceRegister { get; }

    /// <summary>NFT_CMP_* (<see cref="NftCmpOp"/>).</summary>
    public uint Op { get; }

    public NftData Data { get; }

    /// <summary>The compared bytes (register contents).</summary>
    public byte[] Value => Data.Value ?? [];

    public static CmpExpression Decode(byte[] data)
    {
        uint? register = null, op = null;
        NftData? value = null;
        var layout = new List<ushort>(3);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaCmp.SReg: register = attribute.GetBe32(); break;
                case NftaCmp.Op: op = attribute.GetBe32(); break;
                case NftaCmp.Data: value = NftData.Decode(attribute.Payload); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        if (value?.Value is null)
        {
            throw Missing(TypeName, "NFTA_CMP_DATA value");
        }

        return new CmpExpression(register ?? throw Missing(TypeName, "NFTA_CMP_SREG"), op ?? throw Missing(TypeName, "NFTA_CMP_OP"), value, [.. layout], data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaCmp.SReg: writer.PutBe32(rawType, SourceRegister); break;
            case NftaCmp.Op: writer.PutBe32(rawType, Op); break;
            case NftaCmp.Data: Data.Encode(writer, rawType); break;
        }
    }

    public override string ToString() => $"[ cmp {OpName(Op)} reg {SourceRegister} {Data} ]";

    public static string OpName(uint op) => op switch
    {
        NftCmpOp.Eq => "eq",
        NftCmpOp.Neq => "neq",
        NftCmpOp.Lt => "lt",
        NftCmpOp.Lte => "lte",
        NftCmpOp.Gt => "gt",
        NftCmpOp.Gte => "gte",
        _ => op.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
