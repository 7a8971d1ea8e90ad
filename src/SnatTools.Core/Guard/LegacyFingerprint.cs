using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Guard;

/// <summary>
/// iptables-legacy sends no events, so the guard compares its nat tables between polls: the
/// SHA-256 of each table's entries with the counters zeroed (<see cref="LegacyTable.Digest"/>),
/// so traffic does not count as a change but a rule written again without the flag does. The
/// x_tables sockets are opened once, in the namespace, and kept for the guard's lifetime.
/// </summary>
public sealed class LegacyFingerprint : IDisposable
{
    private const string NatTable = "nat";
    private readonly List<(IXtablesTransport Socket, LegacyTableLayout Layout)> _sockets = [];

    public LegacyFingerprint(string? networkNamespace, bool ipv4, bool ipv6, IKernelDialer dialer)
    {
        try
        {
            if (ipv4)
            {
                _sockets.Add((dialer.OpenXtables(isIPv6: false, networkNamespace), LegacyTableLayout.IPv4));
            }

            if (ipv6)
            {
                _sockets.Add((dialer.OpenXtables(isIPv6: true, networkNamespace), LegacyTableLayout.IPv6));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The tables' identity now: one digest per family, "none" where the namespace has no legacy nat table.</summary>
    public string Read() => string.Join(
        ";",
        _sockets.Select(s => LegacyTableReader.TryRead(s.Socket, s.Layout, NatTable)?.Digest() ?? "none"));

    public void Dispose()
    {
        foreach (var (socket, _) in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
    }
}
