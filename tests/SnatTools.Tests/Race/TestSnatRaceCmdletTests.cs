using System.Management.Automation;
using SnatTools.Core.Race;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Race;

/// <summary>Test-SnatRace as a script calls it, in-process.</summary>
public sealed class TestSnatRaceCmdletTests
{
    [Fact]
    public void By_default_it_answers_for_all_three_algorithms_with_the_hosts_defaults()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace -Connections 100 -Trials 5000 -Seed 1");
        Assert.Empty(errors);
        var results = output.Select(o => (SnatRaceResult)o.BaseObject).ToArray();
        Assert.Equal([SnatAlgorithm.KeepOriginal, SnatAlgorithm.Random, SnatAlgorithm.RandomFully], results.Select(r => r.Algorithm));
        Assert.All(results, r =>
        {
            Assert.Equal(100, r.Connections);
            Assert.Equal(100, r.Sources);
            Assert.Equal(5000, r.Trials);
            Assert.Equal(SnatRaceHostDefaults.Cpus, r.Cpus);
            Assert.Equal(SnatRaceHostDefaults.Kernel, r.Kernel);
            Assert.Equal(SnatRaceHostDefaults.ClientPortRange(), r.Scenario.ClientPortRange);
            Assert.True(r.ProbabilityAnyDropInterval.Contains(r.ProbabilityAnyDrop));
        });

        // On the current kernel --random and --random-fully take the same path: same seed, same figures.
        Assert.Equal(results[1].LossHistogram, results[2].LossHistogram);
    }

    [Fact]
    public void A_shared_source_port_shows_what_random_fully_buys()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace 8 -SharedSourcePort -Cpus 2 -Kernel Current -Trials 20000 -Seed 3 -Algorithm KeepOriginal, RandomFully");
        Assert.Empty(errors);
        var results = output.Select(o => (SnatRaceResult)o.BaseObject).ToArray();
        Assert.Equal(2, results.Length);
        Assert.InRange(results[0].ProbabilityAnyDrop, 0.68, 0.71);
        Assert.Equal("00:00:01.0001", results[0].P99ConnectLatency);
        Assert.True(results[1].ProbabilityAnyDrop < 0.001);
    }

    [Fact]
    public void The_seed_it_drew_reproduces_the_run()
    {
        using var host = new PowerShellHost();
        var (first, _) = host.Invoke("Test-SnatRace 16 -SharedSourcePort -Sources 4 -Trials 3000 -Algorithm KeepOriginal");
        var drawn = (SnatRaceResult)first.Single().BaseObject;
        var (again, _) = host.Invoke("Test-SnatRace 16 -SharedSourcePort -Sources 4 -Trials 3000 -Algorithm KeepOriginal -Seed $seed", new Dictionary<string, object?> { ["seed"] = drawn.Seed });
        Assert.Equal(drawn.LossHistogram, ((SnatRaceResult)again.Single().BaseObject).LossHistogram);
    }

    [Fact]
    public void RaceWindow_takes_seconds_and_zero_means_no_race()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace 8 -SharedSourcePort -RaceWindow 0 -Trials 2000 -Seed 1 -Algorithm KeepOriginal; Test-SnatRace 8 -SharedSourcePort -RaceWindow 1e-3 -Cpus 2 -Trials 2000 -Seed 1 -Algorithm KeepOriginal");
        Assert.Empty(errors);
        var results = output.Select(o => (SnatRaceResult)o.BaseObject).ToArray();
        Assert.Equal(0, results[0].ProbabilityAnyDrop);
        Assert.Equal("00:00:00.001", results[1].RaceWindow);
        Assert.Equal(1, results[1].ProbabilityAnyDrop);
    }

    [Fact]
    public void A_rule_port_range_and_the_legacy_kernel_are_passed_through()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace 50 -PortRange 20000-20999 -Kernel Legacy -ExistingConnections 100 -Trials 500 -Seed 1 -Algorithm Random");
        Assert.Empty(errors);
        var result = (SnatRaceResult)output.Single().BaseObject;
        Assert.Equal("20000-20999", result.PortRange);
        Assert.Equal(SnatKernel.Legacy, result.Kernel);
        Assert.Equal(100, result.ExistingConnections);
        Assert.Null(result.ClosedFormProbabilityAnyDrop);
    }

    [Theory]
    [InlineData("Test-SnatRace 10 -PortRange banana", "InvalidPortRange")]
    [InlineData("Test-SnatRace 10 -PortRange 3000-2000", "InvalidPortRange")]
    [InlineData("Test-SnatRace 10 -Sources 11", "InvalidArgument")]
    [InlineData("Test-SnatRace 10 -RaceWindow 5", "InvalidArgument")]
    [InlineData("Test-SnatRace 10 -PortRange 1000-1009 -ExistingConnections 11", "InvalidArgument")]
    public void Bad_input_stops_the_command_with_a_stable_error_id(string script, string errorId)
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke(script);
        Assert.Empty(output);
        var error = Assert.Single(errors);
        Assert.Equal($"{errorId},SnatTools.Cmdlets.TestSnatRaceCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void Only_known_algorithms_are_accepted()
    {
        using var host = new PowerShellHost();
        var (output, _) = host.Invoke("try { Test-SnatRace 10 -Algorithm Sequential; 'ran' } catch { $_.FullyQualifiedErrorId }");
        Assert.StartsWith("ParameterArgumentValidationError", output.Single().ToString());
    }
}
