using System.Globalization;
using SnatTools.Core;
using SnatTools.Core.Lab;
using SnatTools.Core.Linux;
using SnatTools.Core.Race;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class SnatRaceLabTests
{
    [SkippableFact]
    public void A_plain_masquerade_lab_loses_races_each_one_an_insert_failed_and_a_one_second_stall()
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(LabMasqueradeMode.Plain, clients: 8);

        // The rule is the one Docker writes, as iptables-nft itself would store it.
        string save = Cli.Run("ip", "netns", "exec", lab.NatNamespace, "iptables-save", "-t", "nat");
        Assert.Contains("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE\n", save, StringComparison.Ordinal);

        // 100 bursts (~75 s): with ~90 aligned ones the 99.9 % interval is about ±0.16 wide, narrow
        // enough to tell the fitted window (70 %) from the old 2.7 µs (89 %) or from 1.2 µs (50 %).
        var idle = TimeSpan.FromMilliseconds(50);
        var result = lab.RunBursts(connectionsPerBurst: 8, bursts: 100, idle);
        string conntrackS = Cli.Run("ip", "netns", "exec", lab.NatNamespace, "conntrack", "-S");

        Assert.Equal(800, result.Connections + result.Failed);
        Assert.Equal(0, result.Failed);
        Skip.If(result.AlignedBursts < 50, $"only {result.AlignedBursts} of 100 bursts started on all CPUs together: the machine is too busy to race");
        Assert.True(result.Stalled > 0, $"{result.AlignedBursts} aligned bursts of 8 connections sharing a source port should lose at least one race");
        // Every stall is a lost race: one insert_failed and one dropped SYN, never a clash resolved.
        Assert.Equal((ulong)result.Stalled, result.InsertFailed);
        Assert.Equal(result.InsertFailed, result.Drop);
        Assert.Equal(0ul, result.ClashResolve);
        // With two CPUs only the first SYN of each CPU can race: at most one loss per burst (per CPU pair).
        Assert.True(result.BurstsWithStall * (lab.Cpus - 1) >= result.Stalled);
        Assert.All(result.LatenciesMilliseconds.Where(l => l > LabBurstResult.StallThresholdMilliseconds), l => Assert.InRange(l, 900, 1500));
        Assert.Equal((ulong)SumField(conntrackS, "insert_failed"), result.InsertFailed);

        // Calibration: the model with its default (fitted) race window predicts the share of
        // aligned bursts that lost, inside the lab's 99.9 % interval.
        AssertModelInsideObservedInterval(LabMasqueradeMode.Plain, lab, idle, result.AlignedBurstsWithStall, result.AlignedBursts);
    }

    [SkippableTheory]
    [InlineData(LabMasqueradeMode.RandomFully)]
    [InlineData(LabMasqueradeMode.Random)]
    public void A_random_port_lab_loses_no_races(LabMasqueradeMode mode)
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(mode, clients: 8);
        string save = Cli.Run("ip", "netns", "exec", lab.NatNamespace, "iptables-save", "-t", "nat");
        string flag = mode == LabMasqueradeMode.RandomFully ? " --random-fully" : " --random";
        Assert.Contains($"-j MASQUERADE{flag}\n", save, StringComparison.Ordinal);

        var result = lab.RunBursts(connectionsPerBurst: 8, bursts: 30, idle: TimeSpan.FromMilliseconds(50));

        Assert.Equal(240, result.Connections);
        Assert.Equal(0, result.Stalled);
        Assert.Equal(0ul, result.InsertFailed);
        Assert.InRange(result.P99Milliseconds, 0, LabBurstResult.StallThresholdMilliseconds);
        AssertModelInsideObservedInterval(mode, lab, TimeSpan.FromMilliseconds(50), result.BurstsWithStall, result.Bursts);
    }

    private static void AssertModelInsideObservedInterval(LabMasqueradeMode mode, SnatRaceLab lab, TimeSpan idle, int burstsWithStall, int bursts)
    {
        var scenario = SnatRaceCalibration.LabScenario(LiveRaceRun.AlgorithmFor(mode), 8, lab.Clients, lab.Cpus, idle);
        double predicted = SnatRaceSimulator.Run(scenario, 100_000, seed: 5).ProbabilityAnyDrop;
        var observed = ProbabilityInterval.Wilson(burstsWithStall, bursts, ProbabilityInterval.Z999);
        Assert.True(observed.Contains(predicted), $"{mode}: model {predicted:P1}, lab {burstsWithStall}/{bursts} bursts, 99.9 % interval {observed}");
    }

    [SkippableFact]
    public void The_lab_stays_inside_its_namespaces_and_removes_them()
    {
        Root.Require();
        string hostLinks = Cli.Run("ip", "-o", "link");
        string name;
        using (var lab = SnatRaceLab.Create(LabMasqueradeMode.Plain, clients: 3))
        {
            name = lab.Name;
            Assert.Equal(
                new[] { lab.ClientNamespace, lab.NatNamespace, lab.ServerNamespace }.Order(StringComparer.Ordinal),
                NetworkNamespace.ListNamed().Where(n => n.StartsWith(name, StringComparison.Ordinal)));
            string clientAddresses = Cli.Run("ip", "-n", lab.ClientNamespace, "-o", "addr", "show", "dev", "eth0");
            Assert.Contains("198.18.1.1/16", clientAddresses, StringComparison.Ordinal);
            Assert.Contains("198.18.1.3/16", clientAddresses, StringComparison.Ordinal);
            Assert.Contains("inet 198.19.0.2/24", Cli.Run("ip", "-n", lab.ServerNamespace, "-o", "addr"), StringComparison.Ordinal);
            Assert.Equal("1", Cli.Run("ip", "netns", "exec", lab.NatNamespace, "sysctl", "-n", "net.ipv4.ip_forward").Trim());
            Assert.Equal(hostLinks, Cli.Run("ip", "-o", "link"));
        }

        Assert.DoesNotContain(NetworkNamespace.ListNamed(), n => n.StartsWith(name, StringComparison.Ordinal));
        Assert.Equal(hostLinks, Cli.Run("ip", "-o", "link"));
    }

    [SkippableFact]
    public void Get_SnatRule_reads_the_labs_rule_as_the_docker_rule_iptables_nft_stores()
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(LabMasqueradeMode.Plain, clients: 2);
        var rule = Assert.Single(new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = lab.NatNamespace }).Read());

        Assert.Equal(SnatBackend.IptablesNft, rule.Backend);
        Assert.Equal(SnatAction.Masquerade, rule.Action);
        Assert.Equal(SnatOwner.Docker, rule.Owner);
        Assert.False(rule.RandomFully);
        Assert.True(rule.Decoded);
        Assert.Equal("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE", rule.Text);
        Assert.Equal(LabMasqueradeMode.Plain, lab.ReadMode());
    }

    [SkippableFact]
    public void A_removed_lab_says_so_with_LabUnavailable()
    {
        Root.Require();
        var lab = SnatRaceLab.Create(LabMasqueradeMode.Plain, clients: 1);
        lab.Dispose();
        Assert.Equal(ErrorIds.LabUnavailable, Assert.Throws<SnatToolsException>(() => lab.ReadMode()).ErrorId);
        Assert.Equal(ErrorIds.LabUnavailable, Assert.Throws<SnatToolsException>(() => lab.RunBursts(1, 1, TimeSpan.Zero)).ErrorId);
    }

    [SkippableFact]
    public void A_burst_larger_than_the_lab_is_refused_with_a_clear_error()
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(LabMasqueradeMode.Plain, clients: 2);
        var error = Assert.Throws<SnatToolsException>(() => lab.RunBursts(connectionsPerBurst: 3, bursts: 1, idle: TimeSpan.Zero));
        Assert.Equal(ErrorIds.InvalidArgument, error.ErrorId);
    }

    private static long SumField(string conntrackS, string field) =>
        conntrackS.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => pair.StartsWith(field + "=", StringComparison.Ordinal))
            .Sum(pair => long.Parse(pair[(field.Length + 1)..], CultureInfo.InvariantCulture));
}
