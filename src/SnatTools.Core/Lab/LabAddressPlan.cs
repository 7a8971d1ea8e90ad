using System.Net;

namespace SnatTools.Core.Lab;

/// <summary>
/// The lab's addresses, all inside 198.18.0.0/15 (RFC 2544 benchmarking space): clients in
/// 198.18.0.0/16 behind the NAT host's "docker0" side (198.18.255.254), the NAT host's outside
/// 198.19.0.1/24 and the server 198.19.0.2/24.
/// </summary>
public static class LabAddressPlan
{
    public const int ClientPrefixLength = 16;
    public const int OutsidePrefixLength = 24;
    public const int ServerPort = 8080;
    public const int MaxClients = 250 * 250;

    public static IPAddress ClientGateway { get; } = IPAddress.Parse("198.18.255.254");

    public static IPAddress NatOutside { get; } = IPAddress.Parse("198.19.0.1");

    public static IPAddress Server { get; } = IPAddress.Parse("198.19.0.2");

    /// <summary>The client prefix as iptables-nft compares it: the first two bytes of 198.18.0.0/16.</summary>
    public static byte[] ClientPrefixBytes => [198, 18];

    /// <summary>Client i's address: 198.18.(1 + i / 250).(1 + i % 250).</summary>
    public static IPAddress Client(int index)
    {
        if (index < 0 || index >= MaxClients)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the lab has room for {MaxClients} client addresses");
        }

        return new IPAddress(new byte[] { 198, 18, (byte)(1 + (index / 250)), (byte)(1 + (index % 250)) });
    }
}
