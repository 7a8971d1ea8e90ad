using System.Globalization;
using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Conntrack;
using SnatTools.Core.PortUsage;

namespace SnatTools.Cmdlets;

/// <summary>
/// Get-SnatPortUsage: per NAT address, protocol and destination, how many source-NAT ports the
/// conntrack table holds, out of which range, and how likely a new random-fully choice collides.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SnatPortUsage")]
[OutputType(typeof(SnatPortUsage))]
public sealed class GetSnatPortUsageCommand : PSCmdlet
{
    private volatile bool _stopping;
    private SnatPortUsageQuery _query = SnatPortUsageQuery.All;

    /// <summary>Only connections toward this address, with an optional port: 198.19.0.2, 198.19.0.2:443, [2001:db8::2]:443.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Only these protocols.</summary>
    [Parameter]
    [ValidateSet("tcp", "udp", "icmp", "icmpv6", "sctp", "udplite", "dccp", IgnoreCase = true)]
    public string[]? Protocol { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? NetworkNamespace { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _query = new SnatPortUsageQuery
            {
                Destination = Destination is null ? null : DestinationFilter.Parse(Destination),
                Protocols = Protocol is { Length: > 0 }
                    ? Protocol.Select(IpProtocol.Parse).ToHashSet()
                    : null,
            };
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }

    protected override void ProcessRecord()
    {
        var progress = new ProgressRecord(1, "Get-SnatPortUsage", "Reading source-NATed conntrack entries");
        bool shown = false;
        try
        {
            var query = _query with { Ranges = SnatRulePortRanges.ForNamespace(NetworkNamespace, warning => WriteWarning(SafeText.Escape(warning, keepLineBreaks: true))) };
            var usage = SnatPortUsageReader.Read(NetworkNamespace, query, received =>
            {
                if (_stopping)
                {
                    throw new PipelineStoppedException();
                }

                // Kernels without the status filter send every entry, so this counts all received.
                progress.StatusDescription = string.Create(CultureInfo.CurrentCulture, $"{received:N0} conntrack entries read");
                WriteProgress(progress);
                shown = true;
            });
            WriteObject(usage, enumerateCollection: true);
        }
        catch (SnatToolsException ex)
        {
            this.Report(ex);
        }
        finally
        {
            if (shown && !_stopping)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }
    }

    protected override void StopProcessing() => _stopping = true;
}
