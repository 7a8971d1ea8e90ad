using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;
using SnatTools.Core.Output;

namespace SnatTools.Core.Rules;

/// <summary>
/// One masquerade/SNAT rule found in the kernel, from any of the three backends, as an operator
/// reads it: where it is, what it does (action, flags, ranges, out interface, matches), who put it
/// there, how much traffic it saw, its text exactly as iptables-save or nft list prints it, and
/// whether every part of it was understood.
/// </summary>
/// <remarks>
/// Built only by the readers (the constructor is internal): PowerShell would otherwise turn any
/// object with a Table property into a half-made rule when it is piped to Set-SnatRule.
/// </remarks>
public sealed class SnatRule
{
    private string _text = string.Empty;
    private readonly ReadableList<UnknownPart> _unknown = ReadableList<UnknownPart>.Empty;
    private readonly RuleLocator? _locator;

    internal SnatRule()
    {
    }

    public required SnatBackend Backend { get; init; }

    public required SnatFamily Family { get; init; }

    public required string Table { get; init; }

    public required string Chain { get; init; }

    /// <summary>The nf_tables rule handle; null for iptables-legacy rules.</summary>
    public ulong? Handle { get; init; }

    /// <summary>1-based position in its chain (as iptables -L --line-numbers counts).</summary>
    public required int Position { get; init; }

    public required SnatAction Action { get; init; }

    /// <summary>The NF_NAT_RANGE_* flags the kernel holds for the rule.</summary>
    public required NatRangeFlags Flags { get; init; }

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM_FULLY: a fresh random source port per connection (the fix for the race).</summary>
    public bool RandomFully => (Flags & NatRangeFlags.ProtoRandomFully) != 0;

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM.</summary>
    public bool Random => (Flags & NatRangeFlags.ProtoRandom) != 0;

    /// <summary>NF_NAT_RANGE_PERSISTENT.</summary>
    public bool Persistent => (Flags & NatRangeFlags.Persistent) != 0;

    /// <summary>
    /// SNAT addresses as the rule's tool prints them: "198.51.100.1", a range "198.51.100.1-198.51.100.9",
    /// a block "198.51.100.0/24" (nft), or where nft takes them from: a map ("ip saddr map { ... }",
    /// "numgen inc mod 2 map @pool", entries in <see cref="AddressMap"/>) or a value of the packet
    /// ("ct original ip daddr"). Null for masquerade.
    /// </summary>
    public string? ToAddresses { get; init; }

    /// <summary>The port range NAT may use ("1024-65535"), or the map that gives ports with the addresses; null when unrestricted.</summary>
    public string? ToPorts { get; init; }

    /// <summary>The map the addresses (and ports, when <see cref="ToPorts"/> names it too) come from, with its entries; null otherwise.</summary>
    public NatMap? AddressMap { get; init; }

    /// <summary>
    /// The decoded NAT range behind <see cref="Flags"/>, <see cref="ToAddresses"/> and
    /// <see cref="ToPorts"/>, for code that needs numbers rather than text (null when the rule
    /// was not read from the kernel). Internal: its addresses are IPAddress objects, which
    /// serialise as their fields; <see cref="ToAddresses"/> and <see cref="ToPorts"/> are its text.
    /// </summary>
    internal NatRange? Range { get; init; }

    /// <summary>The protocol the rule is limited to (-p tcp, meta l4proto udp) by name, as conntrack and Get-SnatPortUsage name it ("tcp"); null for any.</summary>
    public string? Protocol => ProtocolNumber is { } number ? IpProtocol.Name(number) : null;

    /// <summary>The IP protocol number behind <see cref="Protocol"/> (6 for tcp), or null for any.</summary>
    public byte? ProtocolNumber { get; init; }

    /// <summary>The output interface the rule is limited to (iptables "eth+" / nft "eth*" wildcards kept), or null.</summary>
    public string? OutInterface { get; init; }

    /// <summary>True when the rule applies to every interface except <see cref="OutInterface"/>.</summary>
    public bool OutInterfaceNegated { get; init; }

    /// <summary>The match part of the rule in its backend's syntax (what must hold for the NAT to apply).</summary>
    public required string Matches { get; init; }

    public string? Comment { get; init; }

    /// <summary>From the rule's counter; null when an nftables rule has none.</summary>
    public ulong? Packets { get; init; }

    public ulong? Bytes { get; init; }

    public required SnatOwner Owner { get; init; }

    /// <summary>
    /// Why <see cref="Owner"/> was chosen: the table, chain, ipset or comment that gave it away, or an out
    /// interface name, which is only a guess and says so ("out interface docker0 (weak: interface name only)").
    /// </summary>
    public string? OwnerEvidence { get; init; }

    /// <summary>True when only an interface name pointed at <see cref="Owner"/> (anyone can name a bridge docker0).</summary>
    public bool OwnerIsGuess { get; init; }

    /// <summary>How to make random-fully permanent for rules of this <see cref="Owner"/> (<see cref="Rules.OwnerAdvice.For"/>).</summary>
    public string? OwnerAdvice { get; init; }

    /// <summary>The namespace the rule was read in (as given to -NetworkNamespace); null for the caller's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>The rule exactly as `iptables-save`/`ip6tables-save`/`iptables-legacy-save` (without -c) or `nft list ruleset` print it.</summary>
    public required string Text
    {
        get => _text;
        init => _text = value;
    }

    /// <summary>Parts that were not decoded; empty when <see cref="Decoded"/>.</summary>
    public required IReadOnlyList<UnknownPart> Unknown
    {
        get => _unknown;
        init => _unknown = ReadableList.From(value);
    }

    /// <summary>Every part was understood, so <see cref="Text"/> is the whole rule.</summary>
    public bool Decoded => Unknown.Count == 0;

    /// <summary>
    /// The NAT part (the x_tables MASQUERADE/SNAT target, or the nft masq/snat expression) was
    /// understood: the rule's flags can be changed, and every other part goes back to the kernel
    /// as the kernel gave it, whether or not it is decoded for display.
    /// </summary>
    public bool NatDecoded { get; init; }

    /// <summary>
    /// What a rewrite of this rule starts again: running state of its matches kept in kernel memory
    /// no dump shows (limit's burst, quota, ...). Internal: Set-SnatRule warns with it.
    /// </summary>
    internal IReadOnlyList<string> StateRestartedByRewrite { get; init; } = [];

    /// <summary>
    /// True when a nat base chain on postrouting or input reaches this rule's chain (so it can
    /// translate packets); false when nothing reaches it; null when reachability could not be resolved.
    /// </summary>
    public bool? Reachable { get; init; }

    /// <summary>The nf_tables generation the rule was read at; null for iptables-legacy.</summary>
    public uint? GenerationId { get; init; }

    /// <summary>
    /// Everything needed to find and rewrite exactly this kernel rule. Internal: it holds raw
    /// expression and entry bytes, which are no business of JSON, CSV or the views.
    /// </summary>
    /// (Not `required`: C# allows no required member less visible than its type; the readers set it.)
    internal RuleLocator Locator
    {
        get => _locator ?? throw new InvalidOperationException($"The rule {Text} was built without a locator.");
        init => _locator = value;
    }

    /// <summary>The locator, or null for a rule read too little to have one (what searches through other rules use).</summary>
    internal RuleLocator? LocatorOrNull => _locator;

    /// <summary>Replaces the native text with nft's own line for the same rule (libnftables).</summary>
    internal void UseNftText(string text) => _text = text;

    /// <summary>The text for display: <see cref="Text"/> with control characters escaped (<see cref="SafeText"/>).</summary>
    public override string ToString() => SafeText.Escape(Text);
}
