using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Metrics;

namespace SnatTools.Cmdlets;

/// <summary>
/// Export-SnatMetric: the SNAT race metrics of one or more network namespaces in Prometheus text
/// format, written atomically to a file for node_exporter's textfile collector, or to the pipeline.
/// </summary>
[Cmdlet(VerbsData.Export, "SnatMetric", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class ExportSnatMetricCommand : PSCmdlet
{
    private readonly List<string?> _namespaces = [];
    private readonly CancellationTokenSource _stopping = new();
    private string? _path;

    /// <summary>Namespaces to read; "" (or none given) is the namespace PowerShell runs in.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [AllowEmptyString]
    [AllowNull]
    public string?[]? NetworkNamespace { get; set; }

    /// <summary>The .prom file to replace (atomically); without it the text goes to the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Export again after each interval until stopped (Ctrl+C, or the service stopping).</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan Interval { get; set; }

    /// <summary>Destinations per namespace in snattools_snat_port_fill_ratio, the busiest first; 0 skips reading conntrack entries.</summary>
    [Parameter]
    [ValidateRange(0, 10_000)]
    public int MaxDestinations { get; set; } = SnatMetrics.DefaultMaxDestinations;

    private bool Repeating => MyInvocation.BoundParameters.ContainsKey(nameof(Interval));

    protected override void BeginProcessing()
    {
        if (Repeating && (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromHours(24)))
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument,
                $"-Interval must be between 1 second and 24 hours; got {Interval}.", Interval));
        }

        if (Path is not null)
        {
            _path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!_path.EndsWith(".prom", StringComparison.Ordinal))
            {
                WriteWarning($"{_path} does not end in .prom: node_exporter's textfile collector reads only *.prom files.");
            }
        }
    }

    protected override void ProcessRecord()
    {
        if (NetworkNamespace is null)
        {
            return;
        }

        foreach (string? ns in NetworkNamespace)
        {
            _namespaces.Add(string.IsNullOrEmpty(ns) ? null : ns);
        }
    }

    protected override void EndProcessing()
    {
        if (_namespaces.Count == 0)
        {
            _namespaces.Add(null);
        }

        if (_path is not null && !ShouldProcess(_path, "Replace with SNAT metrics"))
        {
            return;
        }

        while (true)
        {
            Export();
            if (!Repeating || _stopping.Token.WaitHandle.WaitOne(Interval))
            {
                return;
            }
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    private void Export()
    {
        var metrics = new SnatMetrics(MaxDestinations);
        foreach (string? ns in _namespaces.Distinct())
        {
            try
            {
                metrics.Collect(ns, failure => WriteError(ErrorRecords.From(failure)));
            }
            catch (SnatToolsException ex)
            {
                this.Report(ex);
            }
        }

        string text = metrics.ToString();
        if (_path is null)
        {
            // Line by line, as Get-Content would read the file: Select-String and Set-Content work on it.
            WriteObject(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), enumerateCollection: true);
            return;
        }

        try
        {
            AtomicFile.WriteAllText(_path, text);
            WriteVerbose($"Wrote {metrics.Families.Sum(f => f.Samples.Count)} samples to {_path}.");
        }
        catch (SnatToolsException ex)
        {
            // A file that cannot be written now will not be writable on the next round either.
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }
}
