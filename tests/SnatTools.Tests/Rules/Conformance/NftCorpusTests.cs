using System.Text;
using SnatTools.Core.Nftables.Printing;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules.Conformance;

/// <summary>
/// The nft conformance corpus (TestData/nft-corpus, derived from nftables 1.0.6 tests/py by
/// tests/tools/nft-corpus/generate.py): every expression line this kernel accepts in front of
/// `masquerade`, with the line `nft list ruleset` prints for it. Loaded in bulk (one nft -f per
/// family), read with one Get-SnatRule -AllChains per mode.
/// </summary>
public sealed partial class NftCorpusTests(ITestOutputHelper output)
{
    private static readonly string[] Families = ["ip", "ip6", "inet"];

    [SkippableFact]
    public void With_libnftables_every_rule_reads_back_as_nft_prints_it()
    {
        Root.Require();
        Skip.IfNot(LibNftables.Enabled, "libnftables is not available here");
        using var ns = new TestNamespace("nftcorpus");
        var expected = Load(ns);
        var rules = LiveRules.Read(ns, allChains: true);
        var failures = Compare(expected, rules, nativeOnly: false, out int exact);
        output.WriteLine($"{expected.Count} corpus rules; {exact} exact with libnftables.");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(200)));
    }

    [SkippableFact]
    public void Natively_every_rule_reads_back_as_nft_prints_it_or_says_unknown()
    {
        Root.Require();
        using var ns = new TestNamespace("nftnative");
        var expected = Load(ns);
        List<SnatRule> rules;
        using (LibNftables.NativeOnly())
        {
            rules = LiveRules.Read(ns, allChains: true);
        }

        var failures = Compare(expected, rules, nativeOnly: true, out int exact);
        if (Environment.GetEnvironmentVariable("SNATTOOLS_CORPUS_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllLines(report, rules.Where(r => r.Text.Contains("[unknown", StringComparison.Ordinal)).Select(r => $"{r.Family}\t{r.Table}\t{r.Text}"));
        }

        foreach (var family in Families)
        {
            output.WriteLine($"{family}: {expected.Count(e => e.Key.Family == family)} corpus rules.");
        }

        output.WriteLine($"{expected.Count} corpus rules; {exact} exact natively; {rules.Count(r => r.Text.Contains("[unknown", StringComparison.Ordinal))} shown with an unknown part.");
        Assert.True(failures.Count == 0, $"{failures.Count} wrong:\n" + string.Join('\n', failures.Take(300)));
    }

    [SkippableFact]
    public void Random_fully_on_the_corpus_changes_only_the_flag()
    {
        Root.Require();
        using var ns = new TestNamespace("nftcorpusset");
        Load(ns);
        var before = Listing(ns);
        using var host = new PowerShellHost();
        var (changed, errors) = host.Invoke(
            "Get-SnatRule -NetworkNamespace $ns -AllChains | Set-SnatRule -RandomFully -PassThru",
            new Dictionary<string, object?> { ["ns"] = ns.Name });
        var after = Listing(ns);
        foreach (var error in errors.Take(40))
        {
            output.WriteLine($"refused: {error.FullyQualifiedErrorId}: {error.Exception.Message}");
        }

        Assert.Equal(before.Count, after.Count);
        int added = 0;
        for (int i = 0; i < before.Count; i++)
        {
            if (before[i] != after[i])
            {
                Assert.Equal(before[i] + " fully-random", after[i]);
                added++;
            }
        }

        output.WriteLine($"{changed.Count} rules repaired, {errors.Count} refused; nft shows {added} lines gaining fully-random and no other change.");
        Assert.Equal(changed.Count, added);
        Assert.True(changed.Count > 0);
    }

    /// <summary>`nft list ruleset` without the set elements that carry a running timeout (the corpus has some; they expire during the test).</summary>
    private static List<string> Listing(TestNamespace ns) =>
        ns.Exec("nft", "list", "ruleset").Split('\n').Where(line => !line.Contains(" expires ", StringComparison.Ordinal)).ToList();

    /// <summary>Loads the corpus: one nft -f per family. Returns nft's line for each rule, by (family, table, position).</summary>
    private static Dictionary<(string Family, string Table, int Position), (string Source, string Rule, string Text)> Load(TestNamespace ns)
    {
        var expected = new Dictionary<(string, string, int), (string, string, string)>();
        foreach (var family in Families)
        {
            var script = new StringBuilder();
            var tables = new Dictionary<string, int>(StringComparer.Ordinal);
            var sets = new List<string>();
            var rules = new List<string>();
            foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "nft-corpus", $"{family}.txt")))
            {
                var fields = line.Split('\t');
                if (line.StartsWith('#') || fields.Length < 3)
                {
                    continue;
                }

                if (!tables.ContainsKey(fields[1]))
                {
                    tables[fields[1]] = 0;
                    script.Append($"add table {family} {fields[1]}\nadd chain {family} {fields[1]} post {{ type nat hook postrouting priority 100; }}\n");
                }

                if (fields[0] == "set")
                {
                    sets.Add(fields[2]);
                    continue;
                }

                int position = ++tables[fields[1]];
                expected[(family, fields[1], position)] = (fields[2], fields[3], fields[4]);
                rules.Add($"add rule {family} {fields[1]} post {fields[3]} masquerade");
            }

            script.AppendJoin('\n', sets).Append('\n').AppendJoin('\n', rules).Append('\n');
            LiveRules.NftLoad(ns, script.ToString());
        }

        return expected;
    }

    private static List<string> Compare(
        Dictionary<(string Family, string Table, int Position), (string Source, string Rule, string Text)> expected,
        List<SnatRule> rules,
        bool nativeOnly,
        out int exact)
    {
        exact = 0;
        var failures = new List<string>();
        var read = rules.Where(r => r.Backend == SnatBackend.Nftables && r.Chain == "post")
            .ToDictionary(r => (r.Family.ToString() switch { "IPv4" => "ip", "IPv6" => "ip6", _ => "inet" }, r.Table, r.Position));
        foreach (var (key, (source, rule, text)) in expected)
        {
            if (!read.TryGetValue(key, out var snat))
            {
                failures.Add($"{source}: `{rule}`: not read back");
                continue;
            }

            if (snat.Text == text)
            {
                exact++;
            }
            else if (!nativeOnly || !snat.Text.Contains("[unknown", StringComparison.Ordinal))
            {
                failures.Add($"{source}: nft `{text}` / ours `{snat.Text}`");
            }
            else if (KnownPartsMissingFrom(snat.Text, text) is { } wrong)
            {
                failures.Add($"{source}: nft `{text}` / ours `{snat.Text}`: `{wrong}` is not what nft prints there");
            }
        }

        return failures;
    }

    /// <summary>
    /// A marker alone does not excuse the rest of the line: every part printed beside the markers must be
    /// what nft prints, in nft's order. Returns the first part that is not, or null.
    /// </summary>
    private static string? KnownPartsMissingFrom(string ours, string nft)
    {
        int at = 0;
        foreach (var part in UnknownMarker().Split(ours).SelectMany(p => ImpliedMatch().Split(p)))
        {
            var known = part.Trim();
            if (known.Length == 0)
            {
                continue;
            }

            int found = nft.IndexOf(known, at, StringComparison.Ordinal);
            if (found < 0)
            {
                return known;
            }

            at = found + known.Length;
        }

        return null;
    }

    // The protocol matches nft leaves out when the next match implies them: printed beside a marker they are
    // still true of the rule (the kernel does test them), only not what nft would print once it knows the rest.
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:meta (?:l4proto|nfproto|protocol|iiftype)|ip protocol|ip6 nexthdr|icmp type|icmpv6 type|ether type) \S+")]
    private static partial System.Text.RegularExpressions.Regex ImpliedMatch();

    [System.Text.RegularExpressions.GeneratedRegex(@"\[unknown[^\]]*\]")]
    private static partial System.Text.RegularExpressions.Regex UnknownMarker();
}
