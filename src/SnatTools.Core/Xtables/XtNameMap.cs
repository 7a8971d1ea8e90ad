using System.Collections.Concurrent;
using System.Globalization;

namespace SnatTools.Core.Xtables;

/// <summary>
/// The "id name" files iptables-save reads to print names (libxtables xtables_lmap_init:
/// /etc/iproute2/group for devgroup, /etc/iproute2/rt_realms for realm; libnetfilter_conntrack's
/// /etc/xtables/connlabel.conf for connlabel). Read once per file per process; missing means no names.
/// </summary>
internal static class XtNameMap
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<uint, string>> Files = new(StringComparer.Ordinal);

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

    // strtoul(..., 0): decimal or 0x hex.
    private static uint? ParseId(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint hex) ? hex : null
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint dec) ? dec : null;
}
