using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Conntrack;

namespace SnatTools.Cmdlets;

/// <summary>Get-ConntrackStatistics: conntrack counters (insert_failed, drop, ...) and table fill, over ctnetlink.</summary>
[Cmdlet(VerbsCommon.Get, "ConntrackStatistics")]
[OutputType(typeof(ConntrackStatistics))]
public sealed class GetConntrackStatisticsCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>One object per CPU instead of the sum.</summary>
    [Parameter]
    public SwitchParameter PerCpu { get; set; }

    /// <summary>Sample twice, this far apart, and report the growth and rates.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan Interval { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? NetworkNamespace { get; set; }

    protected override void BeginProcessing()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Interval)) && (Interval <= TimeSpan.Zero || Interval > TimeSpan.FromHours(24)))
        {
            ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument,
                $"-Interval must be more than zero and at most 24 hours; got {Interval}.", Interval));
        }
    }

    protected override void ProcessRecord()
    {
        try
        {
            using var reader = ConntrackStatisticsReader.Open(NetworkNamespace);
            var first = reader.Read();
            if (Interval <= TimeSpan.Zero)
            {
                WriteObject(ConntrackStatistics.FromSample(first, PerCpu, NetworkNamespace), enumerateCollection: true);
                return;
            }

            Wait();
            var second = reader.Read();
            WriteObject(ConntrackStatistics.FromInterval(first, second, PerCpu, NetworkNamespace), enumerateCollection: true);
        }
        catch (SnatToolsException ex)
        {
            this.Report(ex);
        }
    }

    private void Wait()
    {
        var progress = new ProgressRecord(1, "Get-ConntrackStatistics", $"Sampling conntrack counters over {Interval}");
        var end = DateTime.UtcNow + Interval;
        for (var left = Interval; left > TimeSpan.Zero; left = end - DateTime.UtcNow)
        {
            progress.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
            progress.PercentComplete = (int)(100 * (1 - (left / Interval)));
            WriteProgress(progress);
            if (_stopping.Token.WaitHandle.WaitOne(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250)))
            {
                throw new PipelineStoppedException();
            }
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
    }

    protected override void StopProcessing() => _stopping.Cancel();
}
