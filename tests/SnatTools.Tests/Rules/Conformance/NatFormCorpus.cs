using System.Text.RegularExpressions;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules.Conformance;

/// <summary>
/// The conformance corpus (TestData/conformance/nat-forms.txt): source-NAT forms written after the
/// NAT cases of nftables 1.0.6 tests/py and iptables 1.8.9 extensions/*.t and *.txlate, loaded
/// with the real tools into a test namespace, each case on its own so that a case the kernel or
/// the tool refuses is recorded with the reason instead of failing the others.
/// </summary>
internal static partial class NatFormCorpus
{
    public static IReadOnlyList<NatFormCase> Cases { get; } = Read(Path.Combine(AppContext.BaseDirectory, "TestData", "conformance", "nat-forms.txt"));

    /// <summary>Loads every case; returns the loaded ones and, for the refused ones, the tool's reason.</summary>
    public static (List<NatFormCase> Loaded, List<(NatFormCase Case, string Reason)> Refused) LoadInto(TestNamespace ns)
    {
        var loaded = new List<NatFormCase>();
        var refused = new List<(NatFormCase, string)>();
        foreach (var @case in Cases)
        {
            var result = @case.IsNative
                ? Cli.Execute(@case.NftInput(), "ip", "netns", "exec", ns.Name, "nft", "-f", "-")
                : Cli.Execute(@case.RestoreInput(), "ip", "netns", "exec", ns.Name, @case.Tool, "--noflush");
            if (result.Exit == 0)
            {
                loaded.Add(@case);
            }
            else
            {
                refused.Add((@case, result.Stderr.Trim()));
            }
        }

        return (loaded, refused);
    }

    private static List<NatFormCase> Read(string path)
    {
        var cases = new List<NatFormCase>();
        string? tool = null, family = null, source = null;
        var declarations = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var section = Section().Match(line);
            if (section.Success)
            {
                (tool, family, source) = (section.Groups[1].Value, section.Groups[2].Success ? section.Groups[2].Value : null, section.Groups[3].Value);
                declarations = [];
                continue;
            }

            if (tool is null)
            {
                throw new InvalidDataException($"{path}: a rule before the first section: {line}");
            }

            if (line.StartsWith("declare ", StringComparison.Ordinal))
            {
                declarations.Add(line["declare ".Length..]);
                continue;
            }

            cases.Add(new NatFormCase(cases.Count + 1, tool, family, source!, declarations, line));
        }

        return cases;
    }

    [GeneratedRegex(@"^\[(\S+)(?: (\S+))?\] (.*)$")]
    private static partial Regex Section();
}
