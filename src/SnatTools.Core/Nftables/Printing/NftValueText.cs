using System.Globalization;
using System.Net;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>Values as `nft list ruleset` (nftables 1.0.x datatype.c) prints them.</summary>
public static class NftValueText
{
    /// <summary>An interface name; a prefix match is printed with '*'.</summary>
    public static string Interface(InterfaceName name) => name.Terminated ? name.Text : name.Text + "*";

    /// <summary>The relational operator before the right-hand side: nothing for ==.</summary>
    public static string Op(uint op) => op switch
    {
        NftCmpOp.Eq => string.Empty,
        NftCmpOp.Neq => "!= ",
        NftCmpOp.Lt => "< ",
        NftCmpOp.Lte => "<= ",
        NftCmpOp.Gt => "> ",
        NftCmpOp.Gte => ">= ",
        _ => $"op{op} ",
    };

    public static string Hex(ReadOnlySpan<byte> value) => "0x" + Convert.ToHexString(value).ToLowerInvariant();

    /// <summary>`meta nfproto` values.</summary>
    public static string NfProto(byte family) => family switch
    {
        Nftables.NfProto.IPv4 => "ipv4",
        Nftables.NfProto.IPv6 => "ipv6",
        _ => family.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A protocol number as nft names it (meta l4proto, ip protocol).</summary>
    public static string Protocol(byte protocol) => ProtocolNames.ForNft(protocol);

    /// <summary>An address, with "/n" when only its first <paramref name="prefix"/> bits count.</summary>
    public static string Address(ReadOnlySpan<byte> address, int prefix)
    {
        string text = new IPAddress(address).ToString();
        return prefix == address.Length * 8 || prefix < 0 ? text : $"{text}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }
}
