using System.Globalization;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// The iproute2 name files nft reads to print device groups and routing realms (nftables 1.0.6
/// datatype.c rt_symbol_table_init: /etc/iproute2/group, /etc/iproute2/rt_realms): "number name"
/// lines, the number decimal or 0x-hex, '#' comments; a line of another form ends the file. Read
/// once per process from this host, as nft reads them from its own.
/// </summary>
internal static class NftRtSymbols
{
    private static readonly Lazy<IReadOnlyList<(uint Value, string Name)>> DeviceGroups = new(() => Load("/etc/iproute2/group"));
    private static readonly Lazy<IReadOnlyList<(uint Value, string Name)>> Realms = new(() => Load("/etc/iproute2/rt_realms"));

    /// <summary>`"default"` for a named value (symbolic_constant_print with quotes), else the number in decimal.</summary>
    public static string Text(NftDataType type, uint value, bool numeric)
    {
        var table = type == NftDataType.Realm ? Realms.Value : DeviceGroups.Value;
        if (!numeric)
        {
            foreach (var (number, name) in table)
            {
                if (number == value)
                {
                    return $"\"{name}\"";
                }
            }
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static List<(uint, string)> Load(string path)
    {
        var symbols = new List<(uint, string)>();
        try
        {
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.TrimStart(' ', '\t');
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var fields = line.Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2 || !TryNumber(fields[0], out uint value))
                {
                    break; // nft stops at a line it cannot read ("iproute database corrupted")
                }

                symbols.Add((value, fields[1]));
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return symbols;
    }

    private static bool TryNumber(string text, out uint value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
