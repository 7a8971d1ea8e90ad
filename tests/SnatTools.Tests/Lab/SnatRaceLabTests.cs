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

        var idle = TimeSpan.FromMilliseconds(50);
        var result = lab.RunBursts(connectionsPerBurst: 8, bursts: 60, idle);
        string conntrackS = Cli.Run("ip", "netns", "exec", lab.NatNamespace, "conntrack", "-S");

        Assert.Equal(480, result.Connections + result.Failed);
        Assert.Equal(0, result.Failed);
        Skip.If(result.AlignedBursts < 30, $"only {result.AlignedBursts} of 60 bursts started on all CPUs together: the machine is too busy to race");

        // That at least one race is lost is itself chance: this run's window may be short. The
        // false-failure rate is the chance that 30 bursts which could race all lost nothing,
        // E[(1 - p(W))^30] over the run-to-run distribution of windows W: computed here and held
        // to at most 1 in 1,000.
        double falseFailure = RaceOdds.ChanceOfNoStall(SnatRaceLabModel.LabScenario(SnatAlgorithm.KeepOriginal, 8, lab.Clients, lab.Cpus, idle), 30);
        Assert.True(falseFailure <= RaceOdds.FalseFailureRate, $"30 aligned bursts lose nothing with probability {falseFailure:E2}");
        Assert.True(result.Stalled > 0, $"{result.AlignedBursts} aligned bursts of 8 connections sharing a source port should lose at least one race");
        // Every stall is a lost race: one insert_failed and one dropped SYN, never a clash resolved.
        Assert.Equal((ulong)result.Stalled, result.InsertFailed);
        Assert.Equal(result.InsertFailed, result.Drop);
        Assert.Equal(0ul, result.ClashResolve);
        // With two CPUs only the first SYN of each CPU can race: at most one loss per burst (per CPU pair).
        Assert.True(result.BurstsWithStall * (lab.Cpus - 1) >= result.Stalled);
        Assert.All(result.LatenciesMilliseconds.Where(l => l > LabBurstResult.StallThresholdMilliseconds), l => Assert.InRange(l, 900, 1500));
        Assert.Equal((ulong)SumField(conntrackS, "insert_failed"), result.InsertFailed);
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

        const int Bursts = 30;
        var idle = TimeSpan.FromMilliseconds(50);
        var result = lab.RunBursts(connectionsPerBurst: 8, bursts: Bursts, idle);

        Assert.Equal(240, result.Connections);
        Assert.Equal(result.InsertFailed, (ulong)result.Stalled);

        // Random picks can still meet by chance (1 in 64,512 per racing pair). The most stalls a
        // correct kernel gives with probability above 1 in 1,000 - with every pair of every round
        // racing, the worst any window allows - is computed from the model, not assumed to be 0.
        int allowed = RaceOdds.MostStalledBursts(SnatRaceLabModel.LabScenario(LiveRaceRun.AlgorithmFor(mode), 8, lab.Clients, lab.Cpus, idle), Bursts);
        Assert.True(allowed <= 1, $"the model allows {allowed} stalls in {Bursts} bursts");
        Assert.InRange(result.BurstsWithStall, 0, allowed);
    }

    private static long SumField(string conntrackS, string field) =>
        conntrackS.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => pair.StartsWith(field + "=", StringComparison.Ordinal))
            .Sum(pair => long.Parse(pair[(field.Length + 1)..], CultureInfo.InvariantCulture));
}
