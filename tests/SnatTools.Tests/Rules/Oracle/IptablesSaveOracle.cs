using System.Globalization;
using System.Text.RegularExpressions;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Rules.Oracle;

/// <summary>Reads the nat section of `iptables-save -c` style output into oracle rules.</summary>
public static partial class IptablesSaveOracle
{
    public static IReadOnlyList<OracleRule> Parse(string save, SnatBackend backend, SnatFamily family)
    {
        var rules = new List<OracleRule>();
        var positions = new Dictionary<string, int>();
        string? table = null;
        foreach (var raw in save.Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith('*'))
            {
                table = line[1..];
                continue;
            }

            if (table != "nat")
            {
                continue;
            }

            var counted = CounterPrefix().Match(line);
            ulong? packets = null, bytes = null;
            if (counted.Success)
            {
                packets = ulong.Parse(counted.Groups[1].Value, CultureInfo.InvariantCulture);
                bytes = ulong.Parse(counted.Groups[2].Value, CultureInfo.InvariantCulture);
                line = line[counted.Length..];
            }

            if (!line.StartsWith("-A ", StringComparison.Ordinal))
            {
                continue;
            }

            string chain = line.Split(' ')[1];
            int position = positions[chain] = positions.GetValueOrDefault(chain) + 1;
            int jump = line.IndexOf(" -j ", StringComparison.Ordinal);
            string target = jump < 0 ? string.Empty : line[(jump + 4)..].Split(' ')[0];
            if (target is not ("MASQUERADE" or "SNAT"))
            {
                continue;
            }

            string options = line[(jump + 4 + target.Length)..];
            string matches = line[(3 + chain.Length)..jump].Trim();
            var (addresses, ports) = target == "SNAT" ? ToSource(Option(options, "--to-source"), family) : (null, Option(options, "--to-ports"));
            var outMatch = OutInterface().Match(" " + matches);
            var comment = Comment().Match(matches);
            rules.Add(new OracleRule(
                backend, family, "nat", chain, position, null, line,
                target == "MASQUERADE" ? SnatAction.Masquerade : SnatAction.Snat,
                options.Contains(" --random-fully", StringComparison.Ordinal),
                Regex.IsMatch(options, @" --random(?!-)"),
                options.Contains(" --persistent", StringComparison.Ordinal),
                addresses, ports,
                outMatch.Success ? outMatch.Groups[2].Value : null,
                outMatch.Success && outMatch.Groups[1].Success,
                matches,
                comment.Success ? Unquote(comment.Groups[1].Value) : null,
                packets, bytes));
        }

        return rules;
    }

    private static string? Option(string options, string name)
    {
        var parts = options.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.IndexOf(parts, name);
        return at >= 0 && at + 1 < parts.Length ? parts[at + 1] : null;
    }

    /// <summary>--to-source forms: a, a-b, a:p, a-b:p-q, :p, [v6]:p, [v6-v6]:p-q, v6, v6-v6.</summary>
    private static (string? Addresses, string? Ports) ToSource(string? value, SnatFamily family)
    {
        if (value is null)
        {
            return (null, null);
        }

        if (value.StartsWith('['))
        {
            int close = value.IndexOf(']', StringComparison.Ordinal);
            return (value[1..close], close + 1 < value.Length ? value[(close + 2)..] : null);
        }

        if (family == SnatFamily.IPv6)
        {
            return (value, null);
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (value, null) : (colon == 0 ? null : value[..colon], value[(colon + 1)..]);
    }

    private static string Unquote(string value) =>
        value.StartsWith('"') ? Regex.Replace(value[1..^1], @"\\(.)", "$1") : value;

    [GeneratedRegex(@"^\[(\d+):(\d+)\] ")]
    private static partial Regex CounterPrefix();

    [GeneratedRegex(@" (! )?-o (\S+)")]
    private static partial Regex OutInterface();

    [GeneratedRegex(@"--comment (""(?:[^""\\]|\\.)*""|\S+)")]
    private static partial Regex Comment();
}
