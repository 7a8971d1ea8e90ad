using System.Collections.Concurrent;
using System.Globalization;

namespace SnatTools.Core.Xtables;

/// <summary>
/// The "id name" files iptables-save reads to print names: libxtables' xtables_lmap_init for
/// /etc/iproute2/group (devgroup) and /etc/iproute2/rt_realms (realm), <see cref="LmapName"/>;
/// libnetfilter_conntrack's /etc/xtables/connlabel.conf for connlabel, <see cref="Read"/>.
/// Read once per file per process; missing means no names.
/// </summary>
internal static class XtNameMap
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<uint, string>> Files = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IReadOnlyList<(int Id, string Name)>> Lmaps = new(StringComparer.Ordinal);

    /// <summary>xtables_lmap_id2name: the first entry of the file whose id equals the value compared as int; null if none.</summary>
    public static string? LmapName(string path, uint value) => Lmaps.GetOrAdd(path, ReadLmap).FirstOrDefault(entry => entry.Id == (int)value).Name;

    public static IReadOnlyDictionary<uint, string> Read(string path) => Files.GetOrAdd(path, Load);

    private static Dictionary<uint, string> Load(string path)
    {
        var names = new Dictionary<uint, string>();
        try
        {
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length >= 2 && ParseId(words[0]) is { } id)
                {
                    names.TryAdd(id, words[1]);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return names;
    }

    /// <summary>
    /// xtables_lmap_init: lines "id name" (id decimal, or hex after 0x; 0..255), '#' comments, the
    /// name up to the next white space; lines that do not parse are skipped. No file: no names.
    /// </summary>
    public static IReadOnlyList<(int Id, string Name)> ReadLmap(string path)
    {
        var realms = new List<(int, string)>();
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                string rest = line.TrimStart();
                if (rest.Length == 0 || rest[0] == '#')
                {
                    continue;
                }

                bool hex = rest.StartsWith("0x", StringComparison.Ordinal);
                int digitsStart = hex ? 2 : 0;
                int end = digitsStart;
                while (end < rest.Length && (hex ? Uri.IsHexDigit(rest[end]) : char.IsAsciiDigit(rest[end])))
                {
                    end++;
                }

                if (end == digitsStart || end >= rest.Length || !char.IsWhiteSpace(rest[end])
                    || !long.TryParse(rest.AsSpan(digitsStart, end - digitsStart), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out long id)
                    || id is < 0 or > 255)
                {
                    continue;
                }

                string name = rest[end..].TrimStart();
                if (name.Length == 0 || name[0] == '#')
                {
                    continue;
                }

                int stop = name.IndexOfAny([' ', '\t', '\n', '\v', '\f', '\r']);
                realms.Add(((int)id, stop < 0 ? name : name[..stop]));
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return realms;
    }

    // strtoul(..., 0): decimal or 0x hex.
    private static uint? ParseId(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint hex) ? hex : null
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint dec) ? dec : null;
}
