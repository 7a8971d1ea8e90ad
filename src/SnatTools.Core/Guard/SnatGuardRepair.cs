using SnatTools.Core.Nat;
using SnatTools.Core.Rules;

namespace SnatTools.Core.Guard;

/// <summary>
/// One repair Watch-SnatRule made (or, with -WhatIf, would have made): when, why, which rule as it
/// was found, who owns it, and how long after the change that undid the flag the repair landed.
/// </summary>
public sealed record SnatGuardRepair
{
    public required DateTimeOffset Time { get; init; }

    public required GuardTrigger Trigger { get; init; }

    public string? NetworkNamespace { get; init; }

    public required SnatOwner Owner { get; init; }

    public required SnatBackend Backend { get; init; }

    public required SnatFamily Family { get; init; }

    public required string Table { get; init; }

    public required string Chain { get; init; }

    /// <summary>The nf_tables handle of the repaired rule (its new one: a replaced rule gets a new handle); null for iptables-legacy.</summary>
    public ulong? Handle { get; init; }

    /// <summary>1-based position in its chain.</summary>
    public required int Position { get; init; }

    /// <summary>The rule as its tool printed it before the repair.</summary>
    public required string Text { get; init; }

    public required NatRangeFlags OldFlags { get; init; }

    public required NatRangeFlags NewFlags { get; init; }

    /// <summary>False with -WhatIf: the repair was only described.</summary>
    public required bool Applied { get; init; }

    /// <summary>
    /// Milliseconds from the first sign of the change (the event received, or the poll that saw it)
    /// to the repair's commit; null for the pass at start.
    /// </summary>
    public double? LatencyMilliseconds { get; init; }
}
