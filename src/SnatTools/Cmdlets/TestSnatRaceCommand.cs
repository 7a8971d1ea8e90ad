using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Lab;
using SnatTools.Core.Race;

namespace SnatTools.Cmdlets;

/// <summary>
/// Test-SnatRace: how likely a burst of new connections through one NAT address loses SYNs to
/// the source-port race, per port allocation algorithm (the race model, SnatTools.Core.Race).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SnatRace", DefaultParameterSetName = ModelParameterSet)]
[OutputType(typeof(SnatRaceResult))]
public sealed class TestSnatRaceCommand : PSCmdlet
{
    private const string ModelParameterSet = "Model";
    private const string LiveParameterSet = "Live";
    private const int DefaultLiveBursts = 50;
    private const int MinimumModelTrials = 100_000;
    private const string AllAlgorithms = "All";
    private static readonly TimeSpan ProgressAfter = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>New connections in one burst.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateRange(1, 65535)]
    public int Connections { get; set; }

    /// <summary>Which allocation to model; All gives one result each.</summary>
    [Parameter]
    [ValidateSet(nameof(SnatAlgorithm.KeepOriginal), nameof(SnatAlgorithm.Random), nameof(SnatAlgorithm.RandomFully), AllAlgorithms)]
    public string[] Algorithm { get; set; } = [AllAlgorithms];

    /// <summary>Client addresses the connections come from; default one per connection.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Sources { get; set; }

    /// <summary>The sources use the same source port(s).</summary>
    [Parameter]
    public SwitchParameter SharedSourcePort { get; set; }

    /// <summary>The rule's --to-ports, e.g. 1024-65535; default the kernel's range by original port.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PortRange { get; set; }

    /// <summary>Connections already in the table from the NAT address to the destination.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int ExistingConnections { get; set; }

    /// <summary>CPUs that handle the SYNs; default this host's.</summary>
    [Parameter]
    [ValidateRange(1, SnatRaceScenario.MaxCpus)]
    public int Cpus { get; set; }

    /// <summary>Time from port choice to confirm, fixed for every run; default the calibration's windows, which vary from run to run.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan RaceWindow { get; set; }

    /// <summary>Current (5.0 and later) or Legacy allocator; default the running kernel's.</summary>
    [Parameter]
    public SnatKernel Kernel { get; set; }

    /// <summary>
    /// Bursts in one run: the range is for a run of this many (default 100; with -Live the lab
    /// fires this many, default 50). The model simulates at least 100,000 bursts.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 1_000_000_000)]
    public int Trials { get; set; }

    /// <summary>Seed of the simulation; default a random one (reported in the result).</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>Also reproduce the bursts on this kernel in a throw-away netns lab (needs root); -Trials then counts lab bursts.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiveParameterSet)]
    public SwitchParameter Live { get; set; }

    /// <summary>Use this lab (New-SnatRaceLab) and its rule as it is now, instead of a lab per algorithm.</summary>
    [Parameter(ParameterSetName = LiveParameterSet)]
    public SnatRaceLab? Lab { get; set; }

    /// <summary>Pause before each burst (lab and model); a burst after idle finds the NAT path cold.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan IdleBetweenBursts { get; set; } = RaceTiming.Default.IdleBeforeBurst;

    protected override void EndProcessing()
    {
        SnatRaceScenario scenario;
        SnatRaceCalibration? calibration = null;
        try
        {
            scenario = BuildScenario();
            if (!Bound(nameof(RaceWindow)))
            {
                var choice = SnatRaceCalibrationStore.Choose(SnatRaceCalibrationStore.DefaultPath(), MachineFacts.Current());
                if (choice.Warning is not null)
                {
                    WriteWarning(choice.Warning);
                }

                calibration = choice.Calibration;
                scenario = scenario with { Timing = calibration.Timing(scenario.Timing) };
            }

            if (Live)
            {
                LiveRaceRun.Validate(scenario);
            }
            else
            {
                scenario.Validate();
            }
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
            return;
        }

        if (Live && Lab is null)
        {
            try
            {
                LabSweep.RemoveOrphaned(this);
            }
            catch (SnatToolsException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex));
            }
        }

        int seed = Bound(nameof(Seed)) ? Seed : Random.Shared.Next();
        var algorithms = Lab is null ? SelectedAlgorithms() : [LiveRaceRun.AlgorithmFor(ReadLabMode(Lab))];
        var clock = Stopwatch.StartNew();
        var progressRecord = new ProgressRecord(1, "Test-SnatRace", "Simulating");
        var done = new List<SnatRaceResult>();
        for (int index = 0; index < algorithms.Count; index++)
        {
            var algorithmScenario = scenario with { Algorithm = algorithms[index] };

            // The current kernel's --random and --random-fully are one code path: one run, the same figures.
            var modelScenario = Live ? LiveRaceRun.AsPlayed(algorithmScenario) : algorithmScenario;
            var result = done.Find(d => SnatRaceSimulator.Equivalent(d.Scenario, modelScenario))?.For(modelScenario)
                ?? Simulate(modelScenario, ModelTrials, seed, index, algorithms.Count, clock, progressRecord).WithCalibration(calibration).WithRunLength(RunLength);
            if (Live)
            {
                var observation = Observe(algorithmScenario, progressRecord);
                if (observation.AlignedBursts is { } aligned && aligned * 2 < observation.Bursts && algorithmScenario.Cpus > 1)
                {
                    WriteWarning(string.Create(CultureInfo.CurrentCulture,
                        $"Only {aligned} of {observation.Bursts} lab bursts started on all CPUs together: the machine is busy, so the lab saw fewer races than the kernel allows. Run again on a quieter machine."));
                }

                result = result.WithObservation(observation);
            }

            done.Add(result);
            WriteObject(result);
        }

        if (clock.Elapsed >= ProgressAfter)
        {
            progressRecord.RecordType = ProgressRecordType.Completed;
            WriteProgress(progressRecord);
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Enough simulated bursts that every window stratum is played well over a thousand times.</summary>
    private int ModelTrials => Live ? MinimumModelTrials : Math.Max(Trials, MinimumModelTrials);

    private int LiveBursts => Bound(nameof(Trials)) ? Trials : DefaultLiveBursts;

    /// <summary>The run the range is for: -Trials bursts, else the model's default run or the lab's bursts.</summary>
    private long RunLength => Bound(nameof(Trials)) ? Trials : Live ? DefaultLiveBursts : SnatRaceResult.DefaultRunLength;

    private SnatRaceObservation Observe(SnatRaceScenario scenario, ProgressRecord record)
    {
        int completed = 0;

        // Not disposed: after a stop the run may still release it while it winds down.
        var burstEnded = new SemaphoreSlim(0);
        var run = Task.Run(() => LiveRaceRun.Observe(scenario, LiveBursts, Lab, _ => { Interlocked.Increment(ref completed); burstEnded.Release(); }, _stopping.Token));
        try
        {
            // Progress is drawn only just after a burst ends, while the lab idles: drawn during a
            // burst it takes a CPU from the clients spinning for their common start and misaligns it.
            while (!run.IsCompleted)
            {
                if (!burstEnded.Wait(TimeSpan.FromMilliseconds(200)))
                {
                    continue;
                }

                while (burstEnded.Wait(0))
                {
                    // One drawing for every burst that ended while the last one was drawn.
                }

                record.StatusDescription = string.Create(CultureInfo.CurrentCulture, $"{scenario.Algorithm} in the lab: burst {Volatile.Read(ref completed)} of {LiveBursts}");
                record.PercentComplete = 100 * Volatile.Read(ref completed) / LiveBursts;
                WriteProgress(record);
            }
        }
        finally
        {
            // Leaving early (WriteProgress throws once the pipeline stops): the lab's threads must
            // have stopped before the cmdlet returns, or they would still use a lab the caller owns.
            if (!run.IsCompleted)
            {
                _stopping.Cancel();
                ((IAsyncResult)run).AsyncWaitHandle.WaitOne();
            }
        }

        try
        {
            return run.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
            throw;
        }
    }

    private SnatRaceResult Simulate(SnatRaceScenario scenario, int trials, int seed, int index, int count, Stopwatch clock, ProgressRecord record)
    {
        var progress = new SnatRaceProgress(trials);
        var run = Task.Run(() => SnatRaceSimulator.Run(scenario, trials, seed, progress, _stopping.Token));
        while (!run.Wait(TimeSpan.FromMilliseconds(100)))
        {
            if (clock.Elapsed >= ProgressAfter)
            {
                record.StatusDescription = string.Create(CultureInfo.CurrentCulture, $"{scenario.Algorithm}: {progress.Completed:N0} of {trials:N0} bursts of {Connections} connections");
                record.PercentComplete = (int)(100 * (index + progress.Fraction) / count);
                WriteProgress(record);
            }
        }

        try
        {
            return run.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private SnatRaceScenario BuildScenario()
    {
        var scenario = new SnatRaceScenario(Connections)
        {
            Kernel = Bound(nameof(Kernel)) ? Kernel : SnatRaceHostDefaults.Kernel,
            SharedSourcePort = SharedSourcePort,
            NatPortRange = PortRange is null ? null : Core.Nat.PortRange.Parse(PortRange),
            ClientPortRange = SnatRaceHostDefaults.ClientPortRange(),
            ExistingConnections = ExistingConnections,
            Cpus = Bound(nameof(Cpus)) ? Cpus : SnatRaceHostDefaults.Cpus,
        };

        scenario = scenario with { Timing = scenario.Timing with { IdleBeforeBurst = IdleBetweenBursts } };
        if (Lab is not null)
        {
            scenario = scenario with { Cpus = Lab.Cpus };
        }

        if (Bound(nameof(Sources)))
        {
            scenario = scenario with { Sources = Sources };
        }

        return Bound(nameof(RaceWindow)) ? scenario with { Timing = scenario.Timing.WithRaceWindow(RaceWindow) } : scenario;
    }

    private List<SnatAlgorithm> SelectedAlgorithms() => Algorithm.Contains(AllAlgorithms, StringComparer.OrdinalIgnoreCase)
        ? [.. Enum.GetValues<SnatAlgorithm>()]
        : [.. Enum.GetValues<SnatAlgorithm>().Where(a => Algorithm.Contains(a.ToString(), StringComparer.OrdinalIgnoreCase))];

    private LabMasqueradeMode ReadLabMode(SnatRaceLab lab)
    {
        try
        {
            return lab.ReadMode();
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
            throw;
        }
    }

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
}
