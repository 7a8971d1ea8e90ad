using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using SnatTools.Core;
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

    /// <summary>Time from port choice to confirm; default the fitted cold/warm windows.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan RaceWindow { get; set; }

    /// <summary>Current (5.0 and later) or Legacy allocator; default the running kernel's.</summary>
    [Parameter]
    public SnatKernel Kernel { get; set; }

    /// <summary>Bursts to simulate.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000_000)]
    public int Trials { get; set; } = 100_000;

    /// <summary>Seed of the simulation; default a random one (reported in the result).</summary>
    [Parameter]
    public int Seed { get; set; }

    protected override void EndProcessing()
    {
        SnatRaceScenario scenario;
        try
        {
            scenario = BuildScenario();
            scenario.Validate();
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
            return;
        }

        int seed = Bound(nameof(Seed)) ? Seed : Random.Shared.Next();
        var algorithms = SelectedAlgorithms();
        var clock = Stopwatch.StartNew();
        var progressRecord = new ProgressRecord(1, "Test-SnatRace", "Simulating");
        for (int index = 0; index < algorithms.Count; index++)
        {
            var algorithm = algorithms[index];
            var progress = new SnatRaceProgress(Trials);
            var run = Task.Run(() => SnatRaceSimulator.Run(scenario with { Algorithm = algorithm }, Trials, seed, progress, _stopping.Token));
            while (!run.Wait(TimeSpan.FromMilliseconds(100)))
            {
                if (clock.Elapsed >= ProgressAfter)
                {
                    progressRecord.StatusDescription = string.Create(CultureInfo.CurrentCulture, $"{algorithm}: {progress.Completed:N0} of {Trials:N0} bursts of {Connections} connections");
                    progressRecord.PercentComplete = (int)(100 * (index + progress.Fraction) / algorithms.Count);
                    WriteProgress(progressRecord);
                }
            }

            WriteObject(ResultOf(run));
        }

        if (clock.Elapsed >= ProgressAfter)
        {
            progressRecord.RecordType = ProgressRecordType.Completed;
            WriteProgress(progressRecord);
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    private SnatRaceScenario BuildScenario()
    {
        var scenario = new SnatRaceScenario(Connections)
        {
            Kernel = Bound(nameof(Kernel)) ? Kernel : SnatRaceHostDefaults.Kernel,
            SharedSourcePort = SharedSourcePort,
            NatPortRange = PortRange is null ? null : Core.Race.PortRange.Parse(PortRange),
            ClientPortRange = SnatRaceHostDefaults.ClientPortRange(),
            ExistingConnections = ExistingConnections,
            Cpus = Bound(nameof(Cpus)) ? Cpus : SnatRaceHostDefaults.Cpus,
        };

        if (Bound(nameof(Sources)))
        {
            scenario = scenario with { Sources = Sources };
        }

        return Bound(nameof(RaceWindow)) ? scenario with { Timing = scenario.Timing.WithRaceWindow(RaceWindow) } : scenario;
    }

    private List<SnatAlgorithm> SelectedAlgorithms() => Algorithm.Contains(AllAlgorithms, StringComparer.OrdinalIgnoreCase)
        ? [.. Enum.GetValues<SnatAlgorithm>()]
        : [.. Enum.GetValues<SnatAlgorithm>().Where(a => Algorithm.Contains(a.ToString(), StringComparer.OrdinalIgnoreCase))];

    private static SnatRaceResult ResultOf(Task<SnatRaceResult> run)
    {
        try
        {
            return run.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
}
