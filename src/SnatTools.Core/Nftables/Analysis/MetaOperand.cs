using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>Packet metadata (meta load): interface names, l4proto, nfproto, mark, ...</summary>
public sealed record MetaOperand(uint Key) : NftOperand
{
    /// <summary>The kernel's load size per key (net/netfilter/nft_meta.c nft_meta_get_init).</summary>
    public override int Length => Key switch
    {
        NftMetaKey.IifName or NftMetaKey.OifName or NftMetaKey.BriIifName or NftMetaKey.BriOifName => 16,
        NftMetaKey.L4Proto or NftMetaKey.NfProto or NftMetaKey.PktType => 1,
        NftMetaKey.Protocol or NftMetaKey.IifType or NftMetaKey.OifType => 2,
        _ => 4,
    };

    public override string ToString() => $"meta {MetaExpression.KeyName(Key)}";
}
