using System.Globalization;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Lab;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Conntrack;

[Collection(LabCollection.Name)]
public sealed class ConntrackEntryLiveTests
{
    [SkippableFact]
    public void Every_lab_connection_has_the_tcp_state_conntrack_L_prints_for_it()
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(LabMasqueradeMode.RandomFully, clients: 4);
        // The lab's clients close with a reset: CLOSE, which conntrack would drop after 10 s.
        Cli.Run("ip", "netns", "exec", lab.NatNamespace, "sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_timeout_close=600");
        lab.RunBursts(4, 10, TimeSpan.FromMilliseconds(5), sharedSourcePort: false);

        using var reader = ConntrackEntryReader.Open(lab.NatNamespace);
        var entries = reader.DumpSourceNat(ConntrackEntryDecoder.AfUnspec).Entries;
        var printed = StatesByNatPort(Cli.Run("ip", "netns", "exec", lab.NatNamespace, "conntrack", "-L", "-p", "tcp"));

        Assert.Equal((10 + SnatRaceLab.WarmUpBursts) * 4, entries.Count);
        Assert.Equal(printed.Keys.Order(), entries.Select(e => (int)e.NatPort!.Value).Order());
        Assert.All(entries, e => Assert.Equal(printed[e.NatPort!.Value], Name(e.TcpState!.Value)));
        Assert.All(entries, e => Assert.Equal(TcpConntrackState.Close, e.TcpState));
        Assert.All(entries, e => Assert.Empty(e.Unknown));
    }

    /// <summary>conntrack -L lines: "tcp 6 599 CLOSE src=.. dst=.. sport=.. dport=.. src=.. dst=.. sport=.. dport=NAT ..." (the oracle, parsed here only).</summary>
    private static Dictionary<int, string> StatesByNatPort(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(
                fields => int.Parse(fields.Where(f => f.StartsWith("dport=", StringComparison.Ordinal)).ElementAt(1)[6..], CultureInfo.InvariantCulture),
                fields => fields[3]);

    /// <summary>The state names conntrack-tools prints.</summary>
    private static string Name(TcpConntrackState state) => state switch
    {
        TcpConntrackState.SynSent => "SYN_SENT",
        TcpConntrackState.SynRecv => "SYN_RECV",
        TcpConntrackState.Established => "ESTABLISHED",
        TcpConntrackState.FinWait => "FIN_WAIT",
        TcpConntrackState.CloseWait => "CLOSE_WAIT",
        TcpConntrackState.LastAck => "LAST_ACK",
        TcpConntrackState.TimeWait => "TIME_WAIT",
        TcpConntrackState.Close => "CLOSE",
        _ => state.ToString(),
    };
}
