using System.Text.RegularExpressions;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules.Owners;

/// <summary>How a controller's rules must be owned: by its table, chain or comment, or (when it marks them with nothing but its bridge) by a weak guess from the out interface.</summary>
internal enum OwnerEvidenceKind
{
    Strong,
    Interface,
}

/// <summary>One derived ruleset and the controller goldens it was derived from (identical derivations share one).</summary>
internal sealed record OwnerGolden(string Kind, IReadOnlyList<string> Names, string Text, IReadOnlyList<string> Links)
{
    /// <summary>The native tables the nft oracle must read (none for iptables rulesets).</summary>
    public IReadOnlySet<string> NativeTables { get; } = Kind == "nft"
        ? OwnerGoldenCorpus.TableLine().Matches(Text).Select(m => m.Groups[1].Value).ToHashSet()
        : new HashSet<string>();

    /// <summary>Loads the ruleset in bulk: one nft -f, or one restore per iptables backend (both backends hold it).</summary>
    public void LoadInto(TestNamespace ns)
    {
        // Rules that match iif/oif resolve the interface when loaded: the controller's bridge must exist.
        foreach (var link in Links)
        {
            ns.Exec("ip", "link", "add", link, "type", "bridge");
        }

        switch (Kind)
        {
            case "nft":
                LiveRules.NftLoad(ns, Text);
                break;
            case "iptables" or "ip6tables":
                LiveRules.IptablesRestore(ns, Text, Kind + "-nft-restore");
                LiveRules.IptablesRestore(ns, Text, Kind + "-legacy-restore");
                break;
            default:
                throw new InvalidDataException($"unknown golden kind {Kind}");
        }
    }
}

/// <summary>The goldens of one controller source (one file under TestData/owners).</summary>
internal sealed record OwnerGoldenFile(string Name, string Source, SnatOwner Owner, OwnerEvidenceKind Evidence, IReadOnlyList<OwnerGolden> Goldens)
{
    /// <summary>Whether a rule read from this controller's ruleset has the owner and the kind of evidence the controller's marks allow.</summary>
    public bool IsRightlyOwned(SnatRule rule) => Evidence switch
    {
        OwnerEvidenceKind.Strong => rule.Owner == Owner && !rule.OwnerIsGuess && rule.OwnerEvidence is not null,
        _ when rule.OutInterface is null => rule.Owner == SnatOwner.Unknown && rule.OwnerEvidence is null,
        _ => rule.Owner == Owner && rule.OwnerIsGuess && rule.OwnerEvidence == $"out interface {rule.OutInterface} (weak: interface name only)",
    };
}

/// <summary>
/// Rulesets derived from the controllers' own test goldens (TestData/owners/*.txt, written by
/// tests/tools/derive-controller-goldens.py: addresses swapped into 198.18.0.0/15 and 2001:db8::/32,
/// nothing else changed, only what the kernel here accepts). "@owner Owner strong|interface" names
/// the expected owner; "@links name..." the bridges the rulesets need; "@golden kind name..." starts a ruleset.
/// </summary>
internal static partial class OwnerGoldenCorpus
{
    public static IReadOnlyList<OwnerGoldenFile> Files { get; } =
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "owners"), "*.txt").Order(StringComparer.Ordinal).Select(Read).ToList();

    /// <summary>"table ip docker-bridges {" (nft list form) or "add table ip kube-proxy" (command form).</summary>
    [GeneratedRegex(@"^(?:add )?table \S+ ([^\s{]+)", RegexOptions.Multiline)]
    internal static partial Regex TableLine();

    private static OwnerGoldenFile Read(string path)
    {
        string? source = null;
        (SnatOwner Owner, OwnerEvidenceKind Evidence)? expect = null;
        var goldens = new List<OwnerGolden>();
        string? kind = null;
        string[] names = [], links = [];
        var text = new List<string>();

        void Flush()
        {
            if (kind is not null)
            {
                goldens.Add(new OwnerGolden(kind, names, string.Join('\n', text) + "\n", links));
            }

            text.Clear();
        }

        foreach (var line in File.ReadLines(path))
        {
            if (kind is null && line.StartsWith("# Derived by", StringComparison.Ordinal))
            {
                source = line[(line.IndexOf(" from ", StringComparison.Ordinal) + 6)..];
            }
            else if (line.StartsWith("@owner ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                expect = (Enum.Parse<SnatOwner>(parts[1]), Enum.Parse<OwnerEvidenceKind>(parts[2], ignoreCase: true));
            }
            else if (line.StartsWith("@links ", StringComparison.Ordinal))
            {
                links = line.Split(' ')[1..];
            }
            else if (line.StartsWith("@golden ", StringComparison.Ordinal))
            {
                Flush();
                var parts = line.Split(' ');
                (kind, names) = (parts[1], parts[2..]);
            }
            else if (kind is not null)
            {
                text.Add(line);
            }
        }

        Flush();
        if (source is null || expect is null || goldens.Count == 0)
        {
            throw new InvalidDataException($"{path}: no source, @owner line or golden");
        }

        return new OwnerGoldenFile(Path.GetFileNameWithoutExtension(path), source, expect.Value.Owner, expect.Value.Evidence, goldens);
    }
}
