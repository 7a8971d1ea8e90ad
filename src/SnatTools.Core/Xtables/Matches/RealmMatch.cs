using System.Globalization;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m realm rev 0, IPv4 only (uapi xt_realm.h): struct xt_realm_info { u32 id, mask; u8 invert } = 9,
/// aligned 16. iptables-save names the id from /etc/iproute2/rt_realms when the mask is full.
/// </summary>
public sealed class RealmMatch : XtMatch
{
    private const int Size = 16;
    private static readonly Lazy<IReadOnlyList<(int Id, string Name)>> Realms = new(() => ReadRealms("/etc/iproute2/rt_realms"));

    private RealmMatch(byte[] info)
        : base("realm", 0, info)
    {
    }

    public static RealmMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new RealmMatch(info) : null;

    /// <summary>realm_save: "[!] --realm" and xtables_print_val_mask with the realm names.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        uint id = XtBlob.U32(Info, 0), mask = XtBlob.U32(Info, 4);
        // xtables_lmap_id2name compares as int: the first entry with that id.
        return XtText.Not(Info[8] != 0) + " --realm" + XtText.ValMask(id, mask, value => Realms.Value.FirstOrDefault(r => r.Id == (int)value).Name);
    }

    /// <summary>
    /// xtables_lmap_init: lines "id name" (id decimal, or hex after 0x; 0..255), '#' comments, the
    /// name up to the next white space; lines that do not parse are skipped. No file: no names.
    /// </summary>
    public static IReadOnlyList<(int Id, string Name)> ReadRealms(string path)
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
}
