using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>meta: loads packet metadata (oifname, l4proto, mark, nfproto, ...) into a register, or sets it from one.</summary>
public sealed class MetaExpression : Expression
{
    public const string TypeName = "meta";
    private static readonly ushort[] LoadLayout = [NftaMeta.Key, NftaMeta.DReg];

    private MetaExpression(uint key, uint? destinationRegister, uint? sourceRegister, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        Key = key;
        DestinationRegister = destinationRegister;
        SourceRegister = sourceRegister;
    }

    public override string Name => TypeName;

    /// <summary>NFT_META_* (<see cref="NftMetaKey"/>).</summary>
    public uint Key { get; }

    /// <summary>Set for a load (`meta load oifname => reg 1`).</summary>
    public uint? DestinationRegister { get; }

    /// <summary>Set for a store (`meta set mark ...`).</summary>
    public uint? SourceRegister { get; }

    public static MetaExpression Load(uint key, uint destinationRegister) => new(key, destinationRegister, null, LoadLayout, null);

    public static MetaExpression Decode(byte[] data)
    {
        uint? key = null, dreg = null, sreg = null;
        var layout = new List<ushort>(2);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaMeta.Key: key = attribute.GetBe32(); break;
                case NftaMeta.DReg: dreg = attribute.GetBe32(); break;
                case NftaMeta.SReg: sreg = attribute.GetBe32(); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        if ((dreg is null) == (sreg is null))
        {
            throw Missing(TypeName, "exactly one of NFTA_META_DREG and NFTA_META_SREG");
        }

        return new MetaExpression(key ?? throw Missing(TypeName, "NFTA_META_KEY"), dreg, sreg, [.. layout], data);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaMeta.Key: writer.PutBe32(rawType, Key); break;
            case NftaMeta.DReg: writer.PutBe32(rawType, DestinationRegister!.Value); break;
            case NftaMeta.SReg: writer.PutBe32(rawType, SourceRegister!.Value); break;
        }
    }

    public override string ToString() => DestinationRegister is { } d
        ? $"[ meta load {KeyName(Key)} => reg {d} ]"
        : $"[ meta set {KeyName(Key)} with reg {SourceRegister} ]";

    /// <summary>The key as `nft` names it.</summary>
    public static string KeyName(uint key) => key switch
    {
        NftMetaKey.Len => "length",
        NftMetaKey.Protocol => "protocol",
        NftMetaKey.Priority => "priority",
        NftMetaKey.Mark => "mark",
        NftMetaKey.Iif => "iif",
        NftMetaKey.Oif => "oif",
        NftMetaKey.IifName => "iifname",
        NftMetaKey.OifName => "oifname",
        NftMetaKey.IifType => "iiftype",
        NftMetaKey.OifType => "oiftype",
        NftMetaKey.SkUid => "skuid",
        NftMetaKey.SkGid => "skgid",
        NftMetaKey.NfTrace => "nftrace",
        NftMetaKey.RtClassId => "rtclassid",
        NftMetaKey.SecMark => "secmark",
        NftMetaKey.NfProto => "nfproto",
        NftMetaKey.L4Proto => "l4proto",
        NftMetaKey.BriIifName => "ibrname",
        NftMetaKey.BriOifName => "obrname",
        NftMetaKey.PktType => "pkttype",
        NftMetaKey.Cpu => "cpu",
        NftMetaKey.CGroup => "cgroup",
        _ => $"key {key}",
    };
}
