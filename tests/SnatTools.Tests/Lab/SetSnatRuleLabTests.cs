using SnatTools.Core.Lab;
using SnatTools.Core.Race;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnatTools.Tests.Lab;

/// <summary>The operator's story end to end: a Docker-style host loses races, Set-SnatRule repairs its rule, the races stop.</summary>
[Collection(LabCollection.Name)]
public sealed class SetSnatRuleLabTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Setting_random_fully_on_the_labs_masquerade_stops_insert_failed_from_growing()
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(LabMasqueradeMode.Plain, clients: 8);
        var idle = TimeSpan.FromMilliseconds(50);

        var broken = lab.RunBursts(8, 60, idle);
        Skip.If(broken.AlignedBursts < 30, $"only {broken.AlignedBursts} of 60 bursts started on all CPUs together: the machine is too busy to race");

        // Both halves are chance; each fails a correct kernel at most 1 in 1,000 (computed).
        var plain = SnatRaceLabModel.LabScenario(SnatAlgorithm.KeepOriginal, 8, lab.Clients, lab.Cpus, idle);
        Assert.True(RaceOdds.ChanceOfNoStall(plain, 30) <= RaceOdds.FalseFailureRate);
        int allowed = RaceOdds.MostStalledBursts(plain with { Algorithm = SnatAlgorithm.RandomFully }, 30);
        Assert.True(broken.InsertFailed > 0, $"{broken.AlignedBursts} aligned bursts through a plain MASQUERADE should lose at least one race");

        using var host = new PowerShellHost();
        var (passedThrough, errors) = host.Invoke(
            "Get-SnatRule -NetworkNamespace $ns | Where-Object { -not $_.RandomFully } | Set-SnatRule -RandomFully -PassThru",
            new Dictionary<string, object?> { ["ns"] = lab.NatNamespace });
        Assert.Empty(errors);
        var rule = Assert.IsType<SnatRule>(Assert.Single(passedThrough).BaseObject);
        Assert.Equal("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully", rule.Text);
        Assert.Contains("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully\n",
            Cli.Run("ip", "netns", "exec", lab.NatNamespace, "iptables-save", "-t", "nat"), StringComparison.Ordinal);

        var repaired = lab.RunBursts(8, 30, idle);

        output.WriteLine($"before: {broken.Stalled} of {broken.Connections} connections stalled, insert_failed +{broken.InsertFailed}; " +
                         $"after Set-SnatRule -RandomFully: {repaired.Stalled} stalled, insert_failed +{repaired.InsertFailed}, p99 {repaired.P99Milliseconds:0.0} ms");
        Assert.InRange(repaired.BurstsWithStall, 0, allowed);
        Assert.Equal((ulong)repaired.Stalled, repaired.InsertFailed);
        Assert.Equal(240, repaired.Connections);
    }
}
