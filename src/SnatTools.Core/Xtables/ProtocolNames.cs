using System.Collections.Frozen;
using System.Globalization;

namespace SnatTools.Core.Xtables;

/// <summary>
/// Protocol names as iptables prints them after -p: its own table first (libxtables
/// xtables_chain_protos), then the system protocol database (/etc/protocols, what
/// getprotobynumber reads), then the number.
/// </summary>
public static class ProtocolNames
{
    private static readonly FrozenDictionary<int, string> Chain = new Dictionary<int, string>
    {
        [6] = "tcp",
        [132] = "sctp",
        [17] = "udp",
        [136] = "udplite",
        [1] = "icmp",
        [58] = "ipv6-icmp",
        [50] = "esp",
        [51] = "ah",
        [135] = "mobility-header",
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenDictionary<int, string>> System = new(ReadEtcProtocols);

    public static string ForSave(ushort protocol) =>
        Chain.TryGetValue(protocol, out var name) || System.Value.TryGetValue(protocol, out name)
            ? name
            : protocol.ToString(CultureInfo.InvariantCulture);

    /// <summary>The name nft prints for meta l4proto / ip protocol values it knows, else the number.</summary>
    public static string ForNft(byte protocol) =>
        System.Value.TryGetValue(protocol, out var name) ? name : protocol.ToString(CultureInfo.InvariantCulture);

    /// <summary>getprotobynumber's name (/etc/protocols), or null.</summary>
    internal static string? FromSystem(int protocol) => System.Value.GetValueOrDefault(protocol);

    private static FrozenDictionary<int, string> ReadEtcProtocols()
    {
        var names = new Dictionary<int, string>();
        try
        {
            foreach (var line in File.ReadLines("/etc/protocols"))
            {
                var fields = line.Split('#')[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                {
                    names.TryAdd(number, fields[0]);
                }
            }
        }
        catch (IOException)
        {
            // No protocol database: numbers are printed, as iptables would.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return names.ToFrozenDictionary();
    }
}
