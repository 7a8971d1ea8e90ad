using System.Globalization;
using System.Text.RegularExpressions;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>
/// A namespace's whole ruleset as the real tools print it (nft list ruleset; iptables-nft-save,
/// ip6tables-nft-save, iptables-legacy-save, ip6tables-legacy-save with -c), for before/after
/// comparisons of Set-SnatRule.
/// </summary>
internal sealed partial class RulesetSnapshot
{
    private static readonly string[] SaveTools = ["iptables-nft-save", "ip6tables-nft-save", "iptables-legacy-save", "ip6tables-legacy-save"];

    private RulesetSnapshot(IReadOnlyDictionary<string, string> texts) => Texts = texts;

    /// <summary>Output by tool ("nft" for nft list ruleset), without the save tools' dated comment lines.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; }

    public static RulesetSnapshot Take(TestNamespace ns)
    {
        var texts = new Dictionary<string, string> { ["nft"] = ns.Exec("nft", "list", "ruleset") };
        foreach (var tool in SaveTools)
        {
            texts[tool] = string.Join('\n', ns.Exec(tool, "-c").Split('\n').Where(line => !line.StartsWith('#')));
        }

        return new RulesetSnapshot(texts);
    }

    /// <summary>
    /// Asserts that <paramref name="after"/> is <paramref name="before"/> line for line (same rules,
    /// same order) except that some rules gained the random-fully flag (iptables: " --random-fully";
    /// nft: "fully-random" in the flag list) and that counters only grew. Returns how many lines gained it, by tool.
    /// </summary>
    public static Dictionary<string, int> AssertOnlyRandomFullyAdded(RulesetSnapshot before, RulesetSnapshot after)
    {
        var added = new Dictionary<string, int>();
        foreach (var (tool, beforeText) in before.Texts)
        {
            added[tool] = 0;
            var old = beforeText.Split('\n');
            var now = after.Texts[tool].Split('\n');
            Assert.True(old.Length == now.Length, $"{tool}: {old.Length} lines before, {now.Length} after:\n{beforeText}\n---\n{after.Texts[tool]}");
            for (int i = 0; i < old.Length; i++)
            {
                var (oldLine, oldCounters) = WithoutCounters(old[i]);
                var (newLine, newCounters) = WithoutCounters(now[i]);
                Assert.Equal(oldCounters.Count, newCounters.Count);
                for (int c = 0; c < oldCounters.Count; c++)
                {
                    Assert.True(newCounters[c] >= oldCounters[c], $"{tool}: a counter went down from {oldCounters[c]} to {newCounters[c]} on: {now[i]}");
                }

                if (oldLine == newLine)
                {
                    continue;
                }

                string withoutFlag = tool == "nft" ? WithoutNftFullyRandom(newLine) : newLine.Replace(" --random-fully", string.Empty, StringComparison.Ordinal);
                Assert.True(withoutFlag == oldLine && withoutFlag != newLine, $"{tool}: line {i + 1} changed by more than random-fully:\n  before: {old[i]}\n  after:  {now[i]}");
                added[tool]++;
            }
        }

        return added;
    }

    private static (string Line, List<ulong> Counters) WithoutCounters(string line)
    {
        var counters = new List<ulong>();
        string text = CounterPattern().Replace(line, match =>
        {
            for (int g = 1; g < match.Groups.Count; g++)
            {
                if (match.Groups[g].Success)
                {
                    counters.Add(ulong.Parse(match.Groups[g].Value, CultureInfo.InvariantCulture));
                }
            }

            return match.Value.StartsWith('[') ? "[c]" : "packets c bytes c";
        });
        return (text, counters);
    }

    private static string WithoutNftFullyRandom(string line) =>
        line.Contains(",fully-random", StringComparison.Ordinal) ? line.Replace(",fully-random", string.Empty, StringComparison.Ordinal)
        : line.Contains(" fully-random,", StringComparison.Ordinal) ? line.Replace(" fully-random,", " ", StringComparison.Ordinal)
        : line.Replace(" fully-random", string.Empty, StringComparison.Ordinal);

    // iptables-save -c "[packets:bytes]" and nft "packets N bytes N".
    [GeneratedRegex(@"\[(\d+):(\d+)\]|packets (\d+) bytes (\d+)")]
    private static partial Regex CounterPattern();
}
