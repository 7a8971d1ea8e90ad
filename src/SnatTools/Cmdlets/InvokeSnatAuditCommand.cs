using System.Management.Automation;
using SnatTools.Audit;
using SnatTools.Core;
using SnatTools.Core.Audit;

namespace SnatTools.Cmdlets;

/// <summary>
/// Invoke-SnatAudit: runs the Pester tests SnatTools ships (Audit/*.Tests.ps1) against the host or
/// each given network namespace and writes a standard NUnit or JUnit XML report. Without -PassThru
/// a failed audit is written as an error (so `pwsh -Command` exits 1); with it, the results are.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SnatAudit", DefaultParameterSetName = ExcludeOwnerSet)]
[OutputType(typeof(SnatAuditResult))]
public sealed class InvokeSnatAuditCommand : PSCmdlet, IDisposable
{
    private const string ExcludeOwnerSet = "ExcludeOwner";
    private const string ExcludeSet = "Exclude";

    private readonly List<string?> _targets = [];
    private PesterSession? _pester;

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? NetworkNamespace { get; set; }

    /// <summary>Rules for which this returns true ($_ is the SnatRule) are left out of the rule checks.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ExcludeSet)]
    public ScriptBlock? Exclude { get; set; }

    /// <summary>Rules whose Owner matches one of these (wildcards allowed) are left out of the rule checks.</summary>
    [Parameter(ParameterSetName = ExcludeOwnerSet)]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeOwner { get; set; }

    /// <summary>How long conntrack counters are sampled for insert_failed and drop growth.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double ConntrackFillThreshold { get; set; } = 0.8;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double PortUsageThreshold { get; set; } = 0.8;

    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long InsertFailedThreshold { get; set; }

    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long DropThreshold { get; set; }

    [Parameter]
    [ValidateSet("NUnitXml", "JUnitXml")]
    public string? OutputFormat { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        if (Interval <= TimeSpan.Zero || Interval > TimeSpan.FromHours(24))
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument,
                $"-Interval must be more than zero and at most 24 hours; got {Interval}.", Interval));
        }

        _pester = new PesterSession();
        try
        {
            WriteVerbose($"Using Pester {_pester.Import()}.");
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (string target in NetworkNamespace ?? [])
        {
            try
            {
                _ = Core.Linux.NetworkNamespace.ResolvePath(target);
                _targets.Add(target);
            }
            catch (SnatToolsException ex)
            {
                this.Report(ex);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(NetworkNamespace)) && _targets.Count == 0)
        {
            _targets.Add(null); // the host: the namespace this process runs in
        }

        if (_targets.Count == 0 || _pester is null)
        {
            return;
        }

        IReadOnlyList<string> files = [];
        try
        {
            files = AuditFiles.Find(MyInvocation.MyCommand.Module?.ModuleBase ?? Path.GetDirectoryName(typeof(InvokeSnatAuditCommand).Assembly.Location)!);
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }

        string? reportPath = OutputPath is null && OutputFormat is null ? null : GetUnresolvedProviderPathFromPSPath(OutputPath ?? "SnatAudit.xml");
        var containers = files.SelectMany(file => _targets.Select(target => _pester.NewContainer(file, Parameters(target)))).ToArray();
        var timestamp = DateTimeOffset.Now;
        bool detailed = MyInvocation.BoundParameters.ContainsKey("Verbose");
        var run = _pester.Run(AuditConfiguration.Create(containers, detailed, $"SnatAudit {Environment.MachineName}"));
        foreach (var error in _pester.Errors)
        {
            WriteError(error);
        }

        if (reportPath is not null)
        {
            try
            {
                _pester.Export(run, OutputFormat ?? "NUnitXml", reportPath);
            }
            catch (SnatToolsException ex)
            {
                WriteError(ErrorRecords.From(ex));
                reportPath = null;
            }
        }

        var results = PesterRunReader.Read(run, _targets, Environment.MachineName, reportPath, timestamp);
        if (PassThru)
        {
            WriteObject(results, enumerateCollection: true);
            return;
        }

        var failed = results.Where(r => r.Result == SnatAuditOutcome.Failed).ToArray();
        if (failed.Length > 0)
        {
            string what = string.Join("; ", failed.Select(r => $"{r}: {string.Join(", ", r.Failures.Select(c => c.Name))}"));
            WriteError(ErrorRecords.Create(ErrorIds.AuditFailed, ErrorCategory.InvalidResult, $"The SNAT audit failed: {what}.", failed));
        }
    }

    protected override void StopProcessing() => _pester?.Stop();

    public void Dispose() => _pester?.Dispose();

    /// <summary>What each audit file's param block receives.</summary>
    private Dictionary<string, object?> Parameters(string? target) => new()
    {
        [PesterRunReader.TargetKey] = target,
        [nameof(Interval)] = Interval,
        [nameof(ConntrackFillThreshold)] = ConntrackFillThreshold,
        [nameof(PortUsageThreshold)] = PortUsageThreshold,
        [nameof(InsertFailedThreshold)] = InsertFailedThreshold,
        [nameof(DropThreshold)] = DropThreshold,
        [nameof(Exclude)] = Exclude,
        [nameof(ExcludeOwner)] = ExcludeOwner,
    };
}
