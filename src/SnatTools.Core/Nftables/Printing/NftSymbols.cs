using System.Globalization;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// nft's symbol tables for the datatypes printed by name (nftables 1.0.6 src/proto.c, meta.c,
/// datatype.c): the first name of a value wins, as in symbolic_constant_print; a value with no name
/// is printed as a number where nft does so (decimal base), else it has no text here (null).
/// </summary>
internal static class NftSymbols
{
    private static readonly Dictionary<uint, string> EtherTypes = new() { [0x0800] = "ip", [0x0806] = "arp", [0x86dd] = "ip6", [0x8100] = "8021q", [0x88a8] = "8021ad" };

    private static readonly Dictionary<uint, string> ArpHrd = new() { [1] = "ether", [512] = "ppp", [768] = "ipip", [769] = "ipip6", [772] = "loopback", [776] = "sit", [778] = "ipgre" };

    private static readonly Dictionary<uint, string> PktTypes = new() { [0] = "host", [1] = "broadcast", [2] = "multicast", [3] = "other" };

    private static readonly Dictionary<uint, string> IcmpTypes = new()
    {
        [0] = "echo-reply", [3] = "destination-unreachable", [4] = "source-quench", [5] = "redirect", [8] = "echo-request",
        [9] = "router-advertisement", [10] = "router-solicitation", [11] = "time-exceeded", [12] = "parameter-problem",
        [13] = "timestamp-request", [14] = "timestamp-reply", [15] = "info-request", [16] = "info-reply",
        [17] = "address-mask-request", [18] = "address-mask-reply",
    };

    private static readonly Dictionary<uint, string> Icmp6Types = new()
    {
        [1] = "destination-unreachable", [2] = "packet-too-big", [3] = "time-exceeded", [4] = "parameter-problem",
        [128] = "echo-request", [129] = "echo-reply", [130] = "mld-listener-query", [131] = "mld-listener-report",
        [132] = "mld-listener-done", [133] = "nd-router-solicit", [134] = "nd-router-advert", [135] = "nd-neighbor-solicit",
        [136] = "nd-neighbor-advert", [137] = "nd-redirect", [138] = "router-renumbering", [141] = "ind-neighbor-solicit",
        [142] = "ind-neighbor-advert", [143] = "mld2-listener-report",
    };

    private static readonly Dictionary<uint, string> IcmpCodes = new()
    {
        [0] = "net-unreachable", [1] = "host-unreachable", [2] = "prot-unreachable", [3] = "port-unreachable",
        [9] = "net-prohibited", [10] = "host-prohibited", [13] = "admin-prohibited", [4] = "frag-needed",
    };

    private static readonly Dictionary<uint, string> Icmpv6Codes = new()
    {
        [0] = "no-route", [1] = "admin-prohibited", [3] = "addr-unreachable", [4] = "port-unreachable", [5] = "policy-fail", [6] = "reject-route",
    };

    /// <summary>DSCP and ECN code points and DCCP packet types (proto.c dscp_type_tbl, ecn_type_tbl, dccp_pkttype_tbl): hex base.</summary>
    private static readonly Dictionary<uint, string> Dscp = new()
    {
        [0x00] = "cs0", [0x08] = "cs1", [0x10] = "cs2", [0x18] = "cs3", [0x20] = "cs4", [0x28] = "cs5", [0x30] = "cs6", [0x38] = "cs7",
        [0x01] = "lephb", [0x0a] = "af11", [0x0c] = "af12", [0x0e] = "af13", [0x12] = "af21", [0x14] = "af22", [0x16] = "af23",
        [0x1a] = "af31", [0x1c] = "af32", [0x1e] = "af33", [0x22] = "af41", [0x24] = "af42", [0x26] = "af43", [0x2c] = "va", [0x2e] = "ef",
    };

    private static readonly Dictionary<uint, string> Ecn = new() { [0] = "not-ect", [1] = "ect1", [2] = "ect0", [3] = "ce" };

    private static readonly Dictionary<uint, string> DccpPktTypes = new()
    {
        [0] = "request", [1] = "response", [2] = "data", [3] = "ack", [4] = "dataack", [5] = "closereq", [6] = "close", [7] = "reset",
        [8] = "sync", [9] = "syncack",
    };

    /// <summary>IGMP types (proto.c igmp_type_tbl).</summary>
    private static readonly Dictionary<uint, string> IgmpTypes = new()
    {
        [0x11] = "membership-query", [0x12] = "membership-report-v1", [0x16] = "membership-report-v2", [0x22] = "membership-report-v3", [0x17] = "leave-group",
    };

    /// <summary>Mobility header types (exthdr.c mh_type_tbl).</summary>
    private static readonly Dictionary<uint, string> MhTypes = new()
    {
        [0] = "binding-refresh-request", [1] = "home-test-init", [2] = "careof-test-init", [3] = "home-test", [4] = "careof-test",
        [5] = "binding-update", [6] = "binding-acknowledgement", [7] = "binding-error", [8] = "fast-binding-update",
        [9] = "fast-binding-acknowledgement", [10] = "fast-binding-advertisement", [11] = "experimental-mobility-header",
        [12] = "home-agent-switch-message",
    };

    /// <summary>The text of <paramref name="number"/> of a symbolic <paramref name="type"/>; null when this version has no text for it.</summary>
    public static string? Text(NftDataType type, ulong number, bool numeric)
    {
        var (table, decimalBase) = type switch
        {
            NftDataType.EtherType => (EtherTypes, false),
            NftDataType.ArpHrd => (ArpHrd, false),
            NftDataType.PktType => (PktTypes, false),
            NftDataType.IcmpType => (IcmpTypes, true),
            NftDataType.Icmp6Type => (Icmp6Types, true),
            NftDataType.IcmpCode => (IcmpCodes, true),
            NftDataType.Icmpv6Code => (Icmpv6Codes, true),
            NftDataType.MhType => (MhTypes, true),
            NftDataType.Dscp => (Dscp, false),
            NftDataType.Ecn => (Ecn, false),
            NftDataType.DccpPktType => (DccpPktTypes, false),
            NftDataType.IgmpType => (IgmpTypes, true),
            _ => (null, false),
        };
        if (table is null)
        {
            return null;
        }

        if (!numeric && table.TryGetValue((uint)number, out var name))
        {
            return name;
        }

        return decimalBase ? number.ToString(CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A tc handle as nft prints it (datatype.c tchandle_type_print): root, none, or major:minor in hex.</summary>
    public static string ClassId(uint handle) => handle switch
    {
        0xffffffff => "root",
        0 => "none",
        _ => $"{(handle >> 16).ToString("x", CultureInfo.InvariantCulture)}:{(handle & 0xffff).ToString("x", CultureInfo.InvariantCulture)}",
    };
}
