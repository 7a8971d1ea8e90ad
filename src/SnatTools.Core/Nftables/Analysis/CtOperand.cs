using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>Conntrack state of the packet's connection (ct load), in one direction when <paramref name="Direction"/> is set.</summary>
public sealed record CtOperand(uint Key, byte? Direction) : NftOperand
{
    /// <summary>The kernel's load size per key (net/netfilter/nft_ct.c nft_ct_get_init).</summary>
    public override int Length => Key switch
    {
        NftCtKey.Direction or NftCtKey.L3Protocol or NftCtKey.Protocol => 1,
        NftCtKey.ProtoSource or NftCtKey.ProtoDestination or NftCtKey.Zone => 2,
        NftCtKey.Source or NftCtKey.Destination or NftCtKey.Labels or NftCtKey.SourceIp6 or NftCtKey.DestinationIp6 => 16,
        NftCtKey.Packets or NftCtKey.Bytes or NftCtKey.AveragePacket => 8,
        _ => 4,
    };

    public override string ToString() => $"ct {CtExpression.KeyName(Key)}";
}
