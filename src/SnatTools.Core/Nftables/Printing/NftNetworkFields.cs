using SnatTools.Core.Nftables.Analysis;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Whole-byte network header fields other than the addresses and the protocol, with the name nft
/// gives them (nftables 1.0.6 src/proto.c, struct iphdr / ipv6hdr): plain big-endian integers.
/// Bit fields (version, dscp, ecn, flowlabel) are read under a mask: <see cref="NftPayloadBitFields"/>.
/// </summary>
internal static class NftNetworkFields
{
    public static (string Name, NftValueType Type)? Of(PayloadOperand payload) =>
        payload.Base != NftPayloadBase.Network ? null : (payload.NetworkFamily, payload.Offset, payload.Size) switch
        {
            (NfProto.IPv4, 2, 2) => ("ip length", new NftValueType(NftDataType.Integer, 2, true)),
            (NfProto.IPv4, 4, 2) => ("ip id", new NftValueType(NftDataType.Integer, 2, true)),
            (NfProto.IPv4, 6, 2) => ("ip frag-off", new NftValueType(NftDataType.Integer, 2, true)),
            (NfProto.IPv4, 8, 1) => ("ip ttl", new NftValueType(NftDataType.Integer, 1, true)),
            (NfProto.IPv4, 10, 2) => ("ip checksum", new NftValueType(NftDataType.Integer, 2, true)),
            (NfProto.IPv6, 4, 2) => ("ip6 length", new NftValueType(NftDataType.Integer, 2, true)),
            (NfProto.IPv6, 7, 1) => ("ip6 hoplimit", new NftValueType(NftDataType.Integer, 1, true)),
            _ => null,
        };
}
