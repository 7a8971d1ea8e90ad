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
            Assert.Equal(5000, r.RunLength);
            Assert.Equal(100_000, r.Trials);
            Assert.Equal(SnatRaceCalibrationSource.Shipped, r.Calibration?.Source);
            Assert.True(r.ProbabilityAnyDropRange.Low <= r.ProbabilityAnyDrop && r.ProbabilityAnyDrop <= r.ProbabilityAnyDropRange.High);
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
        var (output, errors) = host.Invoke("Test-SnatRace 8 -SharedSourcePort -Cpus 2 -Kernel Current -Seed 3 -Algorithm KeepOriginal, RandomFully");
        Assert.Empty(errors);
        var results = output.Select(o => (SnatRaceResult)o.BaseObject).ToArray();
        Assert.Equal(2, results.Length);

        // The shipped calibration's windows, averaged over runs, as its formula says (4 σ of Monte Carlo error + 3 %).
        double formula = Assert.NotNull(results[0].ClosedFormProbabilityAnyDrop);
        Assert.InRange(results[0].ProbabilityAnyDrop, (formula * 0.97) - 0.006, (formula * 1.03) + 0.006);
        Assert.Equal("00:00:01.0001", results[0].P99ConnectLatency);
        Assert.True(results[0].ProbabilityAnyDropRange.Low >= 0.05, results[0].ToString());
        Assert.True(results[0].ProbabilityAnyDropRange.High - results[0].ProbabilityAnyDropRange.Low <= 0.80, results[0].ToString());
        Assert.True(results[1].ProbabilityAnyDrop < 0.001);
        Assert.True(results[1].ProbabilityAnyDropRange.High <= 0.02, results[1].ToString());
    }

    [Fact]
    public void Trials_sets_the_run_the_range_is_for_and_the_model_still_simulates_enough_bursts()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace 8 -SharedSourcePort -Cpus 2 -Seed 3 -Algorithm KeepOriginal; Test-SnatRace 8 -SharedSourcePort -Cpus 2 -Seed 3 -Algorithm KeepOriginal -Trials 20; Test-SnatRace 8 -SharedSourcePort -Cpus 2 -Seed 3 -Algorithm KeepOriginal -Trials 250000");
        Assert.Empty(errors);
        var (hundred, twenty, many) = ((SnatRaceResult)output[0].BaseObject, (SnatRaceResult)output[1].BaseObject, (SnatRaceResult)output[2].BaseObject);
        Assert.Equal((100L, 100_000L), (hundred.RunLength, hundred.Trials));
        Assert.Equal((20L, 100_000L), (twenty.RunLength, twenty.Trials));
        Assert.Equal((250_000L, 250_000L), (many.RunLength, many.Trials));

        // A short run's own chance widens the range; a long run leaves only the windows' spread.
        Assert.True(twenty.ProbabilityAnyDropRange.Low <= hundred.ProbabilityAnyDropRange.Low);
        Assert.True(many.ProbabilityAnyDropRange.Low >= hundred.ProbabilityAnyDropRange.Low);
        Assert.Equal(hundred.ProbabilityAnyDrop, twenty.ProbabilityAnyDrop);
    }

    [Fact]
    public void A_fixed_race_window_has_no_calibration_and_only_the_runs_own_chance_in_its_range()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace 8 -SharedSourcePort -Cpus 2 -Seed 3 -Algorithm KeepOriginal -RaceWindow 1.8e-6 -Trials 40");
        Assert.Empty(errors);
        var result = (SnatRaceResult)output.Single().BaseObject;
        Assert.Null(result.Calibration);
        Assert.Equal(0, result.WindowSigma);

        // The range of Binomial(40, p) alone: about p ± 1.645 sd.
        double p = result.ProbabilityAnyDrop;
        double sd = Math.Sqrt(p * (1 - p) / 40);
        Assert.InRange(result.ProbabilityAnyDropRange.Low, p - (1.645 * sd) - 0.05, p - (1.645 * sd) + 0.05);
        Assert.InRange(result.ProbabilityAnyDropRange.High, p + (1.645 * sd) - 0.05, p + (1.645 * sd) + 0.05);
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
