using System.Globalization;
using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Lab;
using SnatTools.Core.Race;

namespace SnatTools.Cmdlets;

/// <summary>
/// Update-SnatRaceCalibration: measures this host's race window in throw-away labs (several runs
/// of bursts), fits its run-to-run distribution and saves it; Test-SnatRace then uses it.
/// </summary>
[Cmdlet(VerbsData.Update, "SnatRaceCalibration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SnatRaceCalibration))]
public sealed class UpdateSnatRaceCalibrationCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Lab runs, each in a fresh lab.</summary>
    [Parameter]
    [ValidateRange(RaceWindowFitter.MinimumRuns, 100)]
    public int Runs { get; set; } = 10;

    /// <summary>Bursts per run.</summary>
    [Parameter]
    [ValidateRange(10, 1000)]
    public int Trials { get; set; } = 40;

    /// <summary>Client addresses sharing one source port: the connections of each burst.</summary>
    [Parameter]
    [ValidateRange(2, 64)]
    public int Clients { get; set; } = 8;

    /// <summary>Where to save it (default: this host's calibration file).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void EndProcessing()
    {
        string path = Path is null ? SnatRaceCalibrationStore.DefaultPath() : GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, string.Create(CultureInfo.CurrentCulture, $"Run {Runs} lab runs of {Trials} bursts and save the fitted race calibration")))
        {
            return;
        }

        var record = new ProgressRecord(1, "Update-SnatRaceCalibration", "Starting");
        int completed = 0;
        int runNow = 0;
        var burstEnded = new SemaphoreSlim(0);
        var work = Task.Run(() => LabCalibration.Run(Runs, Trials, Clients, (run, _) =>
        {
            Volatile.Write(ref runNow, run);
            Interlocked.Increment(ref completed);
            burstEnded.Release();
        }, _stopping.Token));
        try
        {
            // Progress is drawn between bursts only: drawn during one it takes a CPU from the lab's clients.
            while (!work.IsCompleted)
            {
                if (!burstEnded.Wait(TimeSpan.FromMilliseconds(200)))
                {
                    continue;
                }

                while (burstEnded.Wait(0))
                {
                }

                int done = Volatile.Read(ref completed);
                record.StatusDescription = string.Create(CultureInfo.CurrentCulture, $"Lab run {Volatile.Read(ref runNow) + 1} of {Runs}: {done} of {Runs * Trials} bursts");
                record.PercentComplete = 100 * done / (Runs * Trials);
                WriteProgress(record);
            }
        }
        finally
        {
            if (!work.IsCompleted)
            {
                _stopping.Cancel();
                ((IAsyncResult)work).AsyncWaitHandle.WaitOne();
            }
        }

        SnatRaceCalibration calibration;
        try
        {
            calibration = work.GetAwaiter().GetResult();
            calibration = SnatRaceCalibrationStore.Write(calibration, path);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.CalibrationFailed, ErrorCategory.WriteError, $"The calibration was fitted but cannot be saved to {path}: {ex.Message}", path));
            return;
        }

        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        if (calibration.ExcludedRuns > 0)
        {
            WriteWarning(string.Create(CultureInfo.CurrentCulture, $"{calibration.ExcludedRuns} of {Runs} lab runs were left out: the machine was too busy for the lab's CPUs to start bursts together."));
        }

        WriteObject(calibration);
    }

    protected override void StopProcessing() => _stopping.Cancel();
}
