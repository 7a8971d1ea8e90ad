using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Linux;

namespace SnatTools.Benchmarks;

/// <summary>
/// A network namespace of the benchmark's own (snattools-bench-&lt;random&gt;, 198.18.0.0/15 and
/// 2001:db8::/32 only) with source NAT on a veth, filled with UDP flows. Deleted on Dispose.
/// </summary>
public sealed class NatFlowNamespace : IDisposable
{
    private const int PortsPerDestination = 20_000;

    public NatFlowNamespace(string purpose)
    {
        Name = $"snattools-bench{purpose}-{Guid.NewGuid():N}"[..(24 + purpose.Length)];
        Run("ip", "netns", "add", Name);
        try
        {
            Exec("ip", "link", "set", "lo", "up");
            Exec("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1");
            Exec("ip", "link", "set", "d0", "up");
            Exec("ip", "link", "set", "d1", "up");
            Exec("ip", "addr", "add", "198.18.0.1/24", "dev", "d0");
            // Unanswered UDP entries live 30 s; the benchmark needs them for minutes.
            Exec("sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=1800");
            // nf_conntrack_max is not set here: outside the initial namespace it is read-only
            // (the write fails with EINVAL, which sysctl -q hides), so the host's limit applies.
            ExecWithInput(
                "table ip nat {\n chain post {\n type nat hook postrouting priority srcnat;\n oifname \"d0\" snat to 198.18.0.9 fully-random\n }\n}\n"
                + "table ip track {\n chain out {\n type filter hook output priority 0;\n ct state new counter\n }\n}\n",
                "nft", "-f", "-");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary>
    /// <paramref name="natFlows"/> source-NATed UDP flows (20,000 per destination 198.18.0.2, .3, ...,
    /// source ports 10000 upward) and <paramref name="localFlows"/> loopback flows that are tracked
    /// but not NATed.
    /// </summary>
    public void AddUdpFlows(int natFlows, int localFlows)
    {
        for (int destination = 0; destination * PortsPerDestination < natFlows; destination++)
        {
            Exec("ip", "neigh", "replace", $"198.18.0.{2 + destination}", "lladdr", $"02:00:00:00:00:{2 + destination:x2}", "dev", "d0", "nud", "permanent");
        }

        NetworkNamespace.Run(Name, () =>
        {
            for (int i = 0; i < natFlows; i++)
            {
                Send(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"198.18.0.{2 + (i / PortsPerDestination)}")), 10_000 + (i % PortsPerDestination), 53);
            }

            for (int i = 0; i < localFlows; i++)
            {
                Send(IPAddress.Loopback, 10_000 + (i % PortsPerDestination), 9 + (i / PortsPerDestination));
            }

            return 0;
        });
    }

    private static void Send(IPAddress destination, int sourcePort, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Any, sourcePort));
        socket.SendTo([1], new IPEndPoint(destination, port));
    }

    public string Exec(params string[] arguments) => Run(["ip", "netns", "exec", Name, .. arguments]);

    /// <summary>Runs a tool in the namespace with <paramref name="input"/> on its standard input (a ruleset for iptables-nft-restore, nft -f -).</summary>
    public string ExecWithInput(string input, params string[] arguments) => RunWithInput(input, ["ip", "netns", "exec", Name, .. arguments]);

    private static string Run(params string[] command) => RunWithInput(null, command);

    private static string RunWithInput(string? input, string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException($"{string.Join(' ', command)} exited {process.ExitCode}: {stderr.Result}");
    }

    public void Dispose()
    {
        var delete = Process.Start("ip", ["netns", "del", Name]);
        delete.WaitForExit();
    }
}
