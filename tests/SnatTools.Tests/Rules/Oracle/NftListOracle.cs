using System.Globalization;
using System.Text.RegularExpressions;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Rules.Oracle;

/// <summary>Reads the masquerade/snat rules of the given native tables from `nft -a list ruleset`.</summary>
public static partial class NftListOracle
{
    public static IReadOnlyList<OracleRule> Parse(string listing, IReadOnlySet<string> nativeTables)
    {
        var rules = new List<OracleRule>();
        var portMaps = new HashSet<string>(StringComparer.Ordinal);
        string? family = null, table = null, chain = null, map = null;
        int position = 0;
        foreach (var raw in listing.Split('\n'))
        {
            string line = raw.Trim();
            var tableMatch = TableLine().Match(line);
            if (tableMatch.Success)
            {
                (family, table) = (tableMatch.Groups[1].Value, tableMatch.Groups[2].Value);
                continue;
            }

            // Named maps whose data carries a port ("type ipv4_addr : ipv4_addr . inet_service").
            var mapMatch = MapLine().Match(line);
            if (mapMatch.Success)
            {
                map = mapMatch.Groups[1].Value;
                continue;
            }

            if (map is not null && line.StartsWith("type ", StringComparison.Ordinal))
            {
                if (line.Split(" : ", 2) is [_, var data] && data.Contains("inet_service", StringComparison.Ordinal))
                {
                    portMaps.Add($"{table}/{map}");
                }

                map = null;
                continue;
            }

            var chainMatch = ChainLine().Match(line);
            if (chainMatch.Success)
            {
                chain = chainMatch.Groups[1].Value;
                position = 0;
                continue;
            }

            var handleMatch = HandleSuffix().Match(line);
            if (!handleMatch.Success || chain is null || line.StartsWith("type ", StringComparison.Ordinal) || line.StartsWith("chain ", StringComparison.Ordinal)
                || line.StartsWith("set ", StringComparison.Ordinal) || line.StartsWith("map ", StringComparison.Ordinal))
            {
                continue;
            }

            position++;
            string text = line[..handleMatch.Index];
            if (!nativeTables.Contains(table!) || !SourceNat().IsMatch(text))
            {
                continue;
            }

            var nat = SourceNat().Match(text);
            bool masquerade = nat.Groups[1].Value == "masquerade";
            string natPart = text[nat.Index..];
            var commentAt = natPart.IndexOf(" comment \"", StringComparison.Ordinal);
            string natStatement = commentAt < 0 ? natPart : natPart[..commentAt];
            string flags = Flags().Match(natStatement).Value;
            var (addresses, ports) = Target(natStatement, name => portMaps.Contains($"{table}/{name}"));
            var counter = Counter().Match(text);
            var oif = OutInterface().Match(text);
            var comment = CommentText().Match(text);
            string matches = Counter().Replace(text[..nat.Index], string.Empty).Trim();
            rules.Add(new OracleRule(
                SnatBackend.Nftables,
                family switch { "ip" => SnatFamily.IPv4, "ip6" => SnatFamily.IPv6, _ => SnatFamily.Inet },
                table!, chain, position,
                ulong.Parse(handleMatch.Groups[1].Value, CultureInfo.InvariantCulture),
                text,
                masquerade ? SnatAction.Masquerade : SnatAction.Snat,
                flags.Contains("fully-random", StringComparison.Ordinal),
                Regex.IsMatch(flags, @"[ ,]random\b(?!-)"),
                flags.Contains("persistent", StringComparison.Ordinal),
                addresses, ports,
                oif.Success ? oif.Groups[2].Value : null,
                oif.Success && oif.Groups[1].Success,
                matches,
                comment.Success ? comment.Groups[1].Value : null,
                counter.Success ? ulong.Parse(counter.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                counter.Success ? ulong.Parse(counter.Groups[2].Value, CultureInfo.InvariantCulture) : null));
        }

        return rules;
    }

    /// <summary>
    /// "to 1.2.3.4-1.2.3.9:1000-2000", "to [a]-[b]:p", "to :1024-65535", "to 1.2.3.0/24"; a map
    /// ("to ip saddr map { ... }", "to numgen inc mod 2 map @pool") gives the addresses, and the
    /// ports too when its data carries one; any other expression ("to ct original ip daddr") gives the addresses.
    /// </summary>
    private static (string? Addresses, string? Ports) Target(string statement, Func<string, bool> namedMapHasPorts)
    {
        int to = statement.IndexOf(" to ", StringComparison.Ordinal);
        if (to < 0)
        {
            return (null, null);
        }

        string target = Flags().Replace(statement[(to + 4)..], string.Empty);
        int map = target.IndexOf(" map ", StringComparison.Ordinal);
        if (map >= 0)
        {
            string elements = target[(map + 5)..];
            bool ports = elements.StartsWith('@')
                ? namedMapHasPorts(elements[1..])
                : elements.Split(", ").Any(e => e.Split(" : ", 2) is [_, var data] && data.Contains(" . ", StringComparison.Ordinal));
            return (target, ports ? target : null);
        }

        if (target.Contains(' ', StringComparison.Ordinal))
        {
            return (target, null);
        }

        string value = target;
        if (value.Contains('[', StringComparison.Ordinal))
        {
            int lastBracket = value.LastIndexOf(']');
            string addresses = value[..(lastBracket + 1)].Replace("[", string.Empty, StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal);
            return (addresses, lastBracket + 1 < value.Length ? value[(lastBracket + 2)..] : null);
        }

        if (value.Count(c => c == ':') > 1)
        {
            return (value, null); // IPv6 without ports
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (value, null) : (colon == 0 ? null : value[..colon], value[(colon + 1)..]);
    }

    [GeneratedRegex(@"^table (\S+) (\S+) \{")]
    private static partial Regex TableLine();

    [GeneratedRegex(@"^map (\S+) \{")]
    private static partial Regex MapLine();

    [GeneratedRegex(@" (?:random|fully-random|persistent)(?:,(?:random|fully-random|persistent))*$")]
    private static partial Regex Flags();

    [GeneratedRegex(@"^chain (\S+) \{")]
    private static partial Regex ChainLine();

    [GeneratedRegex(@" # handle (\d+)$")]
    private static partial Regex HandleSuffix();

    [GeneratedRegex(@"(?:^| )(masquerade|snat)\b")]
    private static partial Regex SourceNat();

    [GeneratedRegex(@"counter packets (\d+) bytes (\d+)")]
    private static partial Regex Counter();

    [GeneratedRegex(@"oifname (!= )?""([^""]*)""")]
    private static partial Regex OutInterface();

    [GeneratedRegex(@" comment ""(.*)""$")]
    private static partial Regex CommentText();
}
