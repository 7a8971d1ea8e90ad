using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Linux;
using SnatTools.Core.Race;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Lab;

/// <summary>
/// Test-SnatRace -Live and Update-SnatRaceCalibration against the real kernel. Nothing here
/// compares a fitted figure with one run: the checks are what was reported and kept.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class TestSnatRaceLiveTests
{
    [SkippableFact]
    public void A_live_run_is_reported_beside_the_models_range_for_a_run_as_long()
    {
        Root.Require();
        var before = NetworkNamespace.ListNamed().Where(n => n.StartsWith("snattools-lab-", StringComparison.Ordinal)).ToHashSet();
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace -Live -Connections 8 -SharedSourcePort -Trials 20 -Algorithm KeepOriginal -Seed 1 -WarningAction SilentlyContinue");

        Assert.Empty(errors);
        var result = (SnatRaceResult)output.Single().BaseObject;
        var observed = Assert.IsType<SnatRaceObservation>(result.Observation);
        Assert.Equal(20, observed.Bursts);
        Assert.Equal(20, result.RunLength);
        Assert.Equal(result.RangeFor(20), result.ProbabilityAnyDropRange);
        Assert.Equal(observed.BurstsWithStall / 20.0, result.ObservedProbabilityAnyDrop);
        Assert.Equal(result.ProbabilityAnyDropRange.Contains(observed.ProbabilityAnyDrop), result.AgreesWithObservation);
        Assert.Equal(SnatRaceCalibrationSource.Shipped, result.Calibration?.Source);
        Assert.InRange(observed.AlignedBurstsWithStall ?? -1, 0, observed.AlignedBursts ?? -1);
        Assert.Equal(before, NetworkNamespace.ListNamed().Where(n => n.StartsWith("snattools-lab-", StringComparison.Ordinal)).ToHashSet());
    }

    [SkippableFact]
    public void A_host_calibration_is_measured_saved_and_then_used_by_the_model()
    {
        Root.Require();
        string folder = Path.Combine(IsolatedDataHome.Path, $"calibration-{Guid.NewGuid():N}");
        string file = Path.Combine(folder, "snattools", SnatRaceCalibrationStore.FileName);
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Update-SnatRaceCalibration -Runs 3 -Trials 10 -Path $path -WarningAction SilentlyContinue", new Dictionary<string, object?> { ["path"] = file });

        if (errors.Count > 0)
        {
            // Three short runs can fail to fit on a machine too busy for the lab, or without a
            // single lost race: then it says so, and nothing is saved.
            Assert.Equal($"{ErrorIds.CalibrationFailed},SnatTools.Cmdlets.UpdateSnatRaceCalibrationCommand", Assert.Single(errors).FullyQualifiedErrorId);
            Assert.False(File.Exists(file));
            return;
        }

        var calibration = (SnatRaceCalibration)output.Single().BaseObject;
        Assert.Equal(SnatRaceCalibrationSource.Host, calibration.Source);
        Assert.Equal(3, calibration.LabRuns.Count);
        Assert.All(calibration.LabRuns, run =>
        {
            Assert.Equal(10, run.Bursts);
            Assert.Equal(8, run.Clients);
            Assert.Equal(MachineFacts.Current().MachineId, run.Machine);
            Assert.Equal(run.BurstsWithStall, run.InsertFailed);
        });
        Assert.True(File.Exists(file));

        // The model now takes this host's windows, and says so.
        string? saved = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", folder);
        try
        {
            var (results, modelErrors) = host.Invoke("Test-SnatRace 8 -SharedSourcePort -Algorithm KeepOriginal -Seed 1 3>&1");
            Assert.Empty(modelErrors);
            Assert.DoesNotContain(results, o => o.BaseObject is WarningRecord);
            var result = (SnatRaceResult)results.Single().BaseObject;
            Assert.Equal(SnatRaceCalibrationSource.Host, result.Calibration?.Source);
            Assert.Equal(calibration.MedianRaceWindowSpan, result.Scenario.Timing.ColdRaceWindow);
            Assert.Equal(calibration.WindowSigma, result.WindowSigma);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", saved);
        }
    }
}
