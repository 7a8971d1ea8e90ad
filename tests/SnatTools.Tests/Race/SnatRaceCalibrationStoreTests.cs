using System.Management.Automation;
using SnatTools.Core.Race;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Race;

/// <summary>A host calibration is used only when it is sound and this host's; otherwise the shipped one, with a warning.</summary>
public sealed class SnatRaceCalibrationStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(IsolatedDataHome.Path, $"store-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void A_saved_calibration_reads_back_and_is_chosen_on_its_own_machine()
    {
        var here = MachineFacts.Current();
        string path = Path.Combine(_folder, "snattools", SnatRaceCalibrationStore.FileName);
        var saved = SnatRaceCalibrationStore.Write(Calibration(here), path);

        var choice = SnatRaceCalibrationStore.Choose(path, here);
        Assert.Null(choice.Warning);
        Assert.Equal(SnatRaceCalibrationSource.Host, choice.Calibration.Source);
        Assert.Equal(saved.MedianRaceWindow, choice.Calibration.MedianRaceWindow);
        Assert.Equal(saved.WindowSigma, choice.Calibration.WindowSigma);
        Assert.Equal(saved.LabRuns, choice.Calibration.LabRuns);
        Assert.Equal(here, choice.Calibration.Machine);
        Assert.Equal(path, choice.Calibration.Path);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void A_missing_corrupt_or_foreign_calibration_gives_the_shipped_default_and_a_warning_that_says_why()
    {
        var here = MachineFacts.Current();
        string path = Path.Combine(_folder, SnatRaceCalibrationStore.FileName);

        var missing = SnatRaceCalibrationStore.Choose(path, here);
        Assert.Same(ShippedRaceCalibration.Calibration, missing.Calibration);
        Assert.Contains("no race calibration", missing.Warning, StringComparison.Ordinal);

        Directory.CreateDirectory(_folder);
        File.WriteAllText(path, "{ not json");
        var corrupt = SnatRaceCalibrationStore.Choose(path, here);
        Assert.Same(ShippedRaceCalibration.Calibration, corrupt.Calibration);
        Assert.Contains("cannot be used", corrupt.Warning, StringComparison.Ordinal);

        SnatRaceCalibrationStore.Write(Calibration(here), path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"windowSigma\": 0.4", "\"windowSigma\": 40", StringComparison.Ordinal));
        Assert.Contains("out of range", SnatRaceCalibrationStore.Choose(path, here).Warning, StringComparison.Ordinal);

        SnatRaceCalibrationStore.Write(Calibration(here with { Cpus = here.Cpus + 14, Kernel = "4.19.0" }), path);
        var foreign = SnatRaceCalibrationStore.Choose(path, here);
        Assert.Same(ShippedRaceCalibration.Calibration, foreign.Calibration);
        Assert.Contains($"{here.Cpus + 14} CPUs, this has {here.Cpus}", foreign.Warning, StringComparison.Ordinal);
        Assert.Contains("kernel 4.19.0", foreign.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_lives_under_XDG_DATA_HOME()
    {
        Assert.Equal(Path.Combine(IsolatedDataHome.Path, "snattools", SnatRaceCalibrationStore.FileName), SnatRaceCalibrationStore.DefaultPath());
    }

    [Fact]
    public void The_cmdlets_show_the_calibration_in_use_and_say_when_it_is_the_shipped_one()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Get-SnatRaceCalibration 3>&1; Get-SnatRaceCalibration -Shipped; Update-SnatRaceCalibration -WhatIf");
        Assert.Empty(errors);
        var warning = Assert.IsType<WarningRecord>(output[0].BaseObject);
        Assert.Contains("Update-SnatRaceCalibration", warning.Message, StringComparison.Ordinal);
        Assert.Same(ShippedRaceCalibration.Calibration, output[1].BaseObject);
        Assert.Same(ShippedRaceCalibration.Calibration, output[2].BaseObject);
        Assert.Equal(3, output.Count);
        Assert.False(File.Exists(SnatRaceCalibrationStore.DefaultPath()));
    }

    [Fact]
    public void Model_results_say_which_calibration_they_used()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Test-SnatRace 8 -SharedSourcePort -Algorithm KeepOriginal -Seed 1 3>&1");
        Assert.Empty(errors);
        Assert.IsType<WarningRecord>(output[0].BaseObject);
        var result = (SnatRaceResult)output[1].BaseObject;
        Assert.Same(ShippedRaceCalibration.Calibration, result.Calibration);
        Assert.Equal(RaceTiming.Default.WindowSigma, result.WindowSigma);
    }

    private static SnatRaceCalibration Calibration(MachineFacts machine)
    {
        var runs = Enumerable.Range(0, 4)
            .Select(i => new RaceLabRun(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddMinutes(i), machine.MachineId, machine.CpuModel, machine.Cpus, machine.Kernel, "fresh", 50, 8, 40, 10 + (5 * i), Stalled: 10 + (5 * i), AlignedBursts: 30, AlignedBurstsWithStall: 10 + (5 * i), InsertFailed: 10 + (5 * i), Load: 0.5))
            .ToList();
        var fit = new RaceWindowFit(TimeSpan.FromTicks(15), 0.4, -12.5, 4, 0);
        return new SnatRaceCalibration(SnatRaceCalibrationSource.Host, DateTimeOffset.Parse("2026-12-06T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), fit, runs, machine);
    }
}
