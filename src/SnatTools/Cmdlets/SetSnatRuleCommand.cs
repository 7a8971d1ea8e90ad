using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;

namespace SnatTools.Cmdlets;

/// <summary>
/// Set-SnatRule: sets or clears random-fully, random and persistent on masquerade/SNAT rules in
/// the kernel, in place and atomically per table, changing nothing else about them.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SnatRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(SnatRule))]
public sealed class SetSnatRuleCommand : PSCmdlet
{
    private const string InputObjectSet = "InputObject";

    // One set for rules named by where they are, so that objects piped by property name (a rule
    // read back with Import-Clixml, a custom object) always land here and ProcessRecord decides
    // between handle and position. Two sets would make PowerShell pick one by itself for an
    // object that has both properties, as every rule has.
    private const string LocationSet = "Location";

    private readonly List<SnatRule> _pending = [];
    private readonly HashSet<SnatOwner> _warned = [];
    private SnatRuleWriter _writer = null!;

    /// <summary>Rules from Get-SnatRule.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public SnatRule[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LocationSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableCompleter))]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = LocationSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainCompleter))]
    [ValidateNotNullOrEmpty]
    public string Chain { get; set; } = string.Empty;

    /// <summary>An nf_tables rule handle (nft -a, Get-SnatRule's Handle): nftables and iptables-nft rules.</summary>
    [Parameter(ParameterSetName = LocationSet, ValueFromPipelineByPropertyName = true)]
    public ulong? Handle { get; set; }

    /// <summary>The 1-based position of an iptables-legacy rule in its chain (iptables-legacy -L --line-numbers).</summary>
    [Parameter(ParameterSetName = LocationSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int? Position { get; set; }

    /// <summary>The table's family: ip (IPv4), ip6 (IPv6) or inet; with -Position IPv4 (default) or IPv6.</summary>
    [Parameter(ParameterSetName = LocationSet, ValueFromPipelineByPropertyName = true)]
    public SnatFamily? Family { get; set; }

    /// <summary>Which tool's rule: says whether -Handle or -Position names it, and is checked against the rule found.</summary>
    [Parameter(ParameterSetName = LocationSet, ValueFromPipelineByPropertyName = true)]
    public SnatBackend? Backend { get; set; }

    /// <summary>Empty or null (a rule read in the caller's own namespace) means this namespace.</summary>
    [Parameter(ParameterSetName = LocationSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string? NetworkNamespace { get; set; }

    /// <summary>Set (or with :$false clear) NF_NAT_RANGE_PROTO_RANDOM_FULLY: the fix for the SNAT port race.</summary>
    [Parameter]
    public SwitchParameter RandomFully { get; set; }

    [Parameter]
    public SwitchParameter Random { get; set; }

    [Parameter]
    public SwitchParameter Persistent { get; set; }

    /// <summary>Write each changed rule as the kernel holds it afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        var change = NatFlagChange.From(Bound(nameof(RandomFully), RandomFully), Bound(nameof(Random), Random), Bound(nameof(Persistent), Persistent));
        if (change.IsEmpty)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument,
                "Say what to change: -RandomFully, -Random or -Persistent (-RandomFully:$false clears the flag).", null));
        }

        _writer = new SnatRuleWriter(change);
    }

    protected override void ProcessRecord()
    {
        try
        {
            var rules = ParameterSetName == LocationSet ? [FindByLocation()] : InputObject;
            foreach (var rule in rules)
            {
                Consider(rule);
            }
        }
        catch (SnatToolsException ex)
        {
            this.Report(ex);
        }
    }

    protected override void EndProcessing()
    {
        var changes = new List<SnatRuleChange>();
        try
        {
            foreach (var change in _writer.Apply(_pending))
            {
                WriteOutcome(change);
                changes.Add(change);
            }

            if (PassThru)
            {
                WriteObject(SnatRuleWriter.ReadBack(changes), enumerateCollection: true);
            }
        }
        catch (SnatToolsException ex)
        {
            this.Report(ex);
        }
    }

    /// <summary>The one kernel rule -Table, -Chain, -Handle or -Position, -Family and -Backend name.</summary>
    private SnatRule FindByLocation()
    {
        string? ns = string.IsNullOrEmpty(NetworkNamespace) ? null : NetworkNamespace;
        var location = new SnatRuleLocation(Table, Chain, Handle, Position, Family, Backend);
        return location.Find(ns);
    }

    private void Consider(SnatRule rule)
    {
        if (_writer.Refusal(rule) is { } refusal)
        {
            this.Report(refusal);
            return;
        }

        if (_writer.NewFlags(rule) == rule.Flags)
        {
            WriteVerbose($"{Shown(rule)} already has the wanted flags; nothing to change.");
            return;
        }

        // Unknown: nobody known will put the rule back, so there is nothing to warn about (the rule's OwnerAdvice says so).
        if (rule.Owner != SnatOwner.Unknown && _warned.Add(rule.Owner))
        {
            WriteWarning(SafeText.Escape($"{rule.Text} belongs to {rule.Owner} ({rule.OwnerEvidence}). {OwnerAdvice.For(rule.Owner)}"));
        }

        if (ShouldProcess(Shown(rule), _writer.Describe(rule)))
        {
            _pending.Add(rule);
            if (rule.StateRestartedByRewrite.Count > 0)
            {
                string table = rule.Backend == SnatBackend.IptablesLegacy
                    ? " So does every such rule of its iptables-legacy table, which is replaced whole, as by any iptables-legacy command."
                    : string.Empty;
                WriteWarning(SafeText.Escape($"{rule.Text}: rewriting it starts kernel state again: {string.Join("; ", rule.StateRestartedByRewrite)}.{table}"));
            }
        }
    }

    private void WriteOutcome(SnatRuleChange change)
    {
        string retries = change.GenerationRetries == 0 ? string.Empty
            : $" The nftables ruleset moved {change.GenerationRetries} time(s) meanwhile; it was read again and the change retried.";
        switch (change.Outcome)
        {
            case SnatRuleOutcome.Changed:
                WriteVerbose($"Changed {Shown(change.Rule)}: NAT range flags 0x{(uint)change.OldFlags:x} -> 0x{(uint)change.NewFlags:x}" +
                             $"{(change.NewHandle is { } handle && handle != change.Rule.Handle ? $", new handle {handle}" : string.Empty)}.{retries}");
                break;
            case SnatRuleOutcome.AlreadySet:
                WriteVerbose($"{Shown(change.Rule)} already had the wanted flags in the kernel; nothing was written.{retries}");
                break;
            default:
                this.Report(change.Error!);
                break;
        }
    }

    /// <summary>The rule and where it is, for messages: kernel text with its control characters escaped.</summary>
    private static string Shown(SnatRule rule) => SafeText.Escape($"{rule.Text} [{SnatRuleWriter.Location(rule)}]");

    private bool? Bound(string name, SwitchParameter value) =>
        MyInvocation.BoundParameters.ContainsKey(name) ? value.IsPresent : null;
}
