namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Where the fields of <see cref="NetworkField"/> sit in the IPv4 header (uapi linux/ip.h struct
/// iphdr: protocol at 9, saddr at 12, daddr at 16, frag_off at 6) and the IPv6 header (linux/ipv6.h
/// struct ipv6hdr: nexthdr at 6, saddr at 8, daddr at 24), and the names nft gives them.
/// </summary>
public static class NetworkHeader
{
    public static int AddressLength(bool ipv6) => ipv6 ? 16 : 4;

    /// <summary>The field a network-header load at <paramref name="offset"/> reads, or null for one this module does not name.</summary>
    public static NetworkField? FieldAt(bool ipv6, uint offset) => (ipv6, offset) switch
    {
        (false, 12) or (true, 8) => NetworkField.SourceAddress,
        (false, 16) or (true, 24) => NetworkField.DestinationAddress,
        (false, 9) or (true, 6) => NetworkField.Protocol,
        (false, 6) => NetworkField.FragmentOffset,
        _ => null,
    };

    /// <summary>The field a payload operand reads, when it is a network-header load of a known family.</summary>
    public static NetworkField? FieldOf(PayloadOperand payload) =>
        payload.Base == NftPayloadBase.Network && payload.NetworkFamily is NfProto.IPv4 or NfProto.IPv6
            ? FieldAt(payload.NetworkFamily == NfProto.IPv6, payload.Offset)
            : null;

    /// <summary>nft's name: "ip saddr", "ip6 daddr", "ip protocol", "ip6 nexthdr".</summary>
    public static string NftName(NetworkField field, bool ipv6) => (field, ipv6) switch
    {
        (NetworkField.SourceAddress, _) => ipv6 ? "ip6 saddr" : "ip saddr",
        (NetworkField.DestinationAddress, _) => ipv6 ? "ip6 daddr" : "ip daddr",
        (NetworkField.Protocol, false) => "ip protocol",
        (NetworkField.Protocol, true) => "ip6 nexthdr",
        _ => "ip frag-off",
    };
}
