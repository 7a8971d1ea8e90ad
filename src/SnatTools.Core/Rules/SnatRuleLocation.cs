namespace SnatTools.Core.Rules;

/// <summary>
/// Where a rule is, as a person or a saved object names it: table, chain, the nf_tables handle or
/// the iptables-legacy position, and optionally family and backend. Resolves to exactly one
/// kernel rule or says, with <see cref="ErrorIds.RuleLocationIncomplete"/>, what is missing; it
/// never guesses a rule from partial data.
/// </summary>
public sealed record SnatRuleLocation(string Table, string Chain, ulong? Handle, int? Position, SnatFamily? Family, SnatBackend? Backend)
{
    /// <summary>
    /// True when the handle names the rule: the backend says nftables or iptables-nft, or (no
    /// backend) a handle is given: only nf_tables rules have one.
    /// </summary>
    public bool ByHandle => Backend switch
    {
        SnatBackend.IptablesLegacy => false,
        null => Handle is not null,
        _ => true,
    };

    /// <summary>Reads the rule from the kernel of <paramref name="networkNamespace"/> (null: this one).</summary>
    /// <exception cref="SnatToolsException">RuleLocationIncomplete, RuleNotFound, or a read error.</exception>
    public SnatRule Find(string? networkNamespace)
    {
        if (string.IsNullOrEmpty(Table) || string.IsNullOrEmpty(Chain))
        {
            throw Incomplete("no table or chain");
        }

        SnatRule rule;
        if (ByHandle)
        {
            rule = SnatRuleLookup.ByHandle(networkNamespace, Table, Chain, Handle ?? throw Incomplete($"no handle, which names a{(Backend is null ? "n nf_tables" : " " + Backend)} rule"), Family);
        }
        else
        {
            rule = SnatRuleLookup.ByPosition(networkNamespace, Table, Chain, Position ?? throw Incomplete(Backend is null
                ? "neither a handle (nftables and iptables-nft rules) nor a position (iptables-legacy rules)"
                : "no position, which names an iptables-legacy rule"), Family);
        }

        if (Backend is { } backend && rule.Backend != backend)
        {
            throw new SnatToolsException(ErrorIds.RuleNotFound, ErrorKind.ObjectNotFound,
                $"The rule with handle {Handle} in table {Table}, chain {Chain} is an {rule.Backend} rule, not {backend}: {rule.Text}. Get-SnatRule -AllChains lists the rules there are.", this);
        }

        return rule;
    }

    public override string ToString() =>
        $"table {Table}, chain {Chain}{(Handle is { } h ? $", handle {h}" : string.Empty)}{(Position is { } p ? $", position {p}" : string.Empty)}{(Backend is { } b ? $", {b}" : string.Empty)}";

    private SnatToolsException Incomplete(string what) => new(
        ErrorIds.RuleLocationIncomplete, ErrorKind.InvalidArgument,
        $"The input names {this} but {what}, so it does not name one rule. Pipe rules from Get-SnatRule (or Import-Clixml of them), or give -Table, -Chain and -Handle (nftables, iptables-nft) or -Position (iptables-legacy).",
        this);
}
