using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Rules;

namespace SnatTools.Cmdlets;

/// <summary>Get-SnatRule: every masquerade/SNAT rule of a namespace (nftables, iptables-nft, iptables-legacy), from the kernel.</summary>
[Cmdlet(VerbsCommon.Get, "SnatRule")]
[OutputType(typeof(SnatRule))]
public sealed class GetSnatRuleCommand : PSCmdlet
{
    /// <summary>Only IPv4 or only IPv6 rules (nftables inet tables serve both and are always included).</summary>
    [Parameter]
    [ValidateSet(nameof(SnatFamily.IPv4), nameof(SnatFamily.IPv6))]
    public SnatFamily? Family { get; set; }

    [Parameter]
    public SnatBackend? Backend { get; set; }

    /// <summary>Table name; wildcards allowed.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TableCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Table { get; set; }

    /// <summary>Chain name; wildcards allowed.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ChainCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Chain { get; set; }

    /// <summary>Also read chains no nat postrouting/input base chain reaches (Reachable = $false).</summary>
    [Parameter]
    public SwitchParameter AllChains { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? NetworkNamespace { get; set; }

    protected override void ProcessRecord()
    {
        var table = Pattern(Table);
        var chain = Pattern(Chain);
        var query = new SnatRuleQuery
        {
            Family = Family,
            Backend = Backend,
            Table = table is null ? Table : null,
            Chain = chain is null ? Chain : null,
            AllChains = AllChains,
            NetworkNamespace = NetworkNamespace,
        };
        var progress = new ProgressRecord(1, "Get-SnatRule", "Reading rules");
        var reader = new SnatRuleReader(query, warning => WriteWarning(SafeText.Escape(warning, keepLineBreaks: true)), p =>
        {
            progress.StatusDescription = SafeText.Escape(p.Activity);
            progress.PercentComplete = p.Total == 0 ? 100 : (int)(100L * p.Done / p.Total);
            progress.RecordType = p.Done >= p.Total ? ProgressRecordType.Completed : ProgressRecordType.Processing;
            WriteProgress(progress);
        });

        try
        {
            foreach (var rule in reader.Read())
            {
                if ((table is null || table.IsMatch(rule.Table)) && (chain is null || chain.IsMatch(rule.Chain)))
                {
                    WriteObject(rule);
                }
            }
        }
        catch (SnatToolsException ex)
        {
            this.Report(ex);
        }
    }

    /// <summary>A wildcard pattern when the value has wildcards; null means "match exactly" (filtered in the kernel reads).</summary>
    private static WildcardPattern? Pattern(string? value) =>
        value is not null && WildcardPattern.ContainsWildcardCharacters(value) ? new WildcardPattern(value, WildcardOptions.IgnoreCase) : null;
}
