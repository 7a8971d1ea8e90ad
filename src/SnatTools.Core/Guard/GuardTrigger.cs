namespace SnatTools.Core.Guard;

/// <summary>What made Watch-SnatRule look at the rules again.</summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum GuardTrigger : long
{
    /// <summary>The pass at start, before watching.</summary>
    Start,

    /// <summary>nf_tables reported a ruleset change (NFNLGRP_NFTABLES) made by another program.</summary>
    RulesetChanged,

    /// <summary>The event queue overflowed (ENOBUFS): changes were lost, so everything was read again.</summary>
    EventOverflow,

    /// <summary>The iptables-legacy nat table differed from the last poll.</summary>
    LegacyTableChanged,

    /// <summary>A rule held back after repeated reverts was due again.</summary>
    BackoffEnded,
}
