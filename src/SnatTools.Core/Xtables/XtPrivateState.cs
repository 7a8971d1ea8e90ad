namespace SnatTools.Core.Xtables;

/// <summary>
/// Matches whose running state lives in kernel-private memory no dump shows, so that any rewrite of
/// their rule (a repair, or any iptables-legacy change to the table) starts it again: what an
/// operator should be told (docs/guide/kernel-facts.md §8).
/// </summary>
public static class XtPrivateState
{
    private static readonly Dictionary<string, string> Restarts = new(StringComparer.Ordinal)
    {
        ["limit"] = "-m limit has its whole burst again",
        ["statistic"] = "-m statistic --mode nth counts from --packet again",
        ["quota"] = "-m quota has its whole quota again",
        ["connlimit"] = "-m connlimit forgets the connections it counted",
    };

    /// <summary>What restarts when a rule with these matches is rewritten, one phrase per match kind.</summary>
    public static IReadOnlyList<string> RestartedBy(IEnumerable<XtMatch> matches) =>
        matches.Select(m => Restarts.GetValueOrDefault(m.Name)).OfType<string>().Distinct().ToList();
}
