using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Linux;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// -Destination: an address with an optional port, "198.19.0.2", "198.19.0.2:8080", "2001:db8::2"
/// or "[2001:db8::2]:443". It matches an entry by its original destination or, after DNAT (a
/// Kubernetes service), by the backend the reply comes from.
/// </summary>
public sealed record DestinationFilter(IPAddress Address, int? Port)
{
    public static DestinationFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        string address = trimmed;
        string? port = null;
        if (trimmed.StartsWith('['))
        {
            int close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < trimmed.Length && trimmed[close + 1] != ':'))
            {
                throw Invalid(text);
            }

            address = trimmed[1..close];
            port = close + 1 < trimmed.Length ? trimmed[(close + 2)..] : null;
        }
        else if (trimmed.Count(c => c == ':') == 1)
        {
            int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            address = trimmed[..colon];
            port = trimmed[(colon + 1)..];
        }

        if (!IPAddress.TryParse(address, out var ip)
            || (ip.AddressFamily == AddressFamily.InterNetwork && address.Count(c => c == '.') != 3)
            || (ip.AddressFamily == AddressFamily.InterNetworkV6 && !address.Contains(':', StringComparison.Ordinal))
            || address.Contains('%', StringComparison.Ordinal))
        {
            throw Invalid(text);
        }

        int? number = null;
        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed is < 1 or > 65535)
            {
                throw Invalid(text);
            }

            number = parsed;
        }

        return new DestinationFilter(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, number);
    }

    public bool Matches(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Matches(entry.Original.Destination, entry.Original.DestinationPort)
            || Matches(entry.Reply.Source, entry.Reply.SourcePort);
    }

    private bool Matches(IPAddress address, ushort? port) =>
        address.Equals(Address) && (Port is null || Port == port);

    private static SnatToolsException Invalid(string text) => new(
        ErrorIds.InvalidDestination, ErrorKind.InvalidArgument,
        $"'{text}' is not a destination: give an IP address with an optional port, such as 198.19.0.2, 198.19.0.2:443, 2001:db8::2 or [2001:db8::2]:443 (no host names, ports 1-65535).",
        text);

    public override string ToString() => Port is { } port ? InetNtop.FormatWithPort(Address, port) : InetNtop.Format(Address);
}
