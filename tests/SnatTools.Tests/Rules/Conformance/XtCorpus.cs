using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules.Conformance;

/// <summary>One line of the iptables conformance corpus: a match extension's test line in front of -j MASQUERADE.</summary>
public sealed record XtCorpusCase(SnatBackend Backend, SnatFamily Family, string Extension, string Rule, string SaveLine)
{
    public override string ToString() => $"{Backend} {Family} [{Extension}] {Rule}";
}

/// <summary>
/// The iptables conformance corpus (TestData/conformance/xt-corpus.tsv, derived by
/// tests/tools/gen-xt-corpus.py from the iptables 1.8.9 extension tests): every match line the
/// kernel here accepts in nat POSTROUTING, per backend and family, with the line iptables-save
/// printed for it when the corpus was made. <c>xt-corpus-inexact.txt</c> names the extensions
/// whose lines do not read back exactly yet.
/// </summary>
public static class XtCorpus
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "conformance");

    public static IReadOnlyList<XtCorpusCase> Cases { get; } = File.ReadLines(Path.Combine(Folder, "xt-corpus.tsv"))
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.Split('\t'))
        .Select(f => new XtCorpusCase(
            f[0] == "legacy" ? SnatBackend.IptablesLegacy : SnatBackend.IptablesNft,
            f[1] == "ipv6" ? SnatFamily.IPv6 : SnatFamily.IPv4,
            f[2],
            f[3],
            f[4]))
        .ToList();

    /// <summary>The extensions not yet read back exactly (one name a line, '#' comments).</summary>
    public static IReadOnlySet<string> ExpectedInexact { get; } = File.ReadLines(Path.Combine(Folder, "xt-corpus-inexact.txt"))
        .Select(line => line.Split('#')[0].Trim())
        .Where(name => name.Length > 0)
        .ToHashSet(StringComparer.Ordinal);

    public static IEnumerable<IGrouping<(SnatBackend Backend, SnatFamily Family), XtCorpusCase>> Groups() =>
        Cases.GroupBy(c => (c.Backend, c.Family));

    public static string SaveTool(SnatBackend backend, SnatFamily family) =>
        $"{(family == SnatFamily.IPv6 ? "ip6tables" : "iptables")}-{(backend == SnatBackend.IptablesLegacy ? "legacy" : "nft")}-save";

    /// <summary>Loads the group's lines with one iptables-restore, in order, after what they need (xt-corpus-setup.txt: rate estimators).</summary>
    public static void LoadInto(TestNamespace ns, SnatBackend backend, SnatFamily family, IEnumerable<XtCorpusCase> cases)
    {
        string restore = SaveTool(backend, family).Replace("-save", "-restore", StringComparison.Ordinal);
        string body = File.ReadAllText(Path.Combine(Folder, "xt-corpus-setup.txt")) + "*nat\n" + string.Concat(cases.Select(c => $"-A POSTROUTING {c.Rule} -j MASQUERADE\n")) + "COMMIT\n";
        ns.ExecWithInput(body, restore, "-w");
    }

    /// <summary>The nat POSTROUTING lines iptables-save prints now, in order.</summary>
    public static List<string> SavedLines(TestNamespace ns, SnatBackend backend, SnatFamily family) =>
        ns.Exec(SaveTool(backend, family), "-t", "nat").Split('\n').Where(l => l.StartsWith("-A POSTROUTING ", StringComparison.Ordinal)).ToList();
}
