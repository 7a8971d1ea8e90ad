using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m string rev 0 and 1 (uapi xt_string.h): struct xt_string_info { u16 from_offset, to_offset;
/// char algo[16]; char pattern[128]; u8 patlen; u8 invert (v0) or flags (v1); struct ts_config
/// *config aligned(8) } = 160. usersize is offsetof(config): the pointer is the kernel's. This
/// kernel accepts only rev 1.
/// </summary>
public sealed class StringMatch : XtMatch
{
    private const int Size = 160;
    private const int PatternOffset = 20;
    private const int MaxPattern = 128;     // XT_STRING_MAX_PATTERN_SIZE
    private const byte FlagInvert = 1;      // XT_STRING_FLAG_INVERT
    private const byte FlagIgnoreCase = 2;  // XT_STRING_FLAG_IGNORECASE

    private StringMatch(uint revision, byte[] info)
        : base("string", revision, info)
    {
    }

    public static StringMatch? Decode(uint revision, byte[] info) =>
        revision <= 1 && info.Length == Size && info[148] <= MaxPattern && info.AsSpan(4, 16).Contains((byte)0) ? new StringMatch(revision, info) : null;

    /// <summary>string_save: --hex-string "|hex|" when a byte is not printable (or the last is \), else --string "..."; then --algo, --from, --to, --icase.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        int length = Info[148];
        var pattern = Info.AsSpan(PatternOffset, length);
        byte flags = Info[149];
        bool invert = Revision == 0 ? flags != 0 : (flags & FlagInvert) != 0;
        var text = new StringBuilder(XtText.Not(invert));

        // is_hex_string reads str[len - 1] even for an empty pattern: the byte before it, algo[15].
        if (pattern.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) >= 0 || Info[PatternOffset + length - 1] == '\\')
        {
            text.Append(" --hex-string \"|").Append(Convert.ToHexStringLower(pattern)).Append("|\"");
        }
        else
        {
            text.Append(" --string \"");
            foreach (byte b in pattern)
            {
                text.Append(b is (byte)'"' or (byte)'\\' ? "\\" : string.Empty).Append((char)b);
            }

            text.Append('"');
        }

        text.Append(" --algo ").Append(XtBlob.CString(Info, 4, 16));
        ushort from = XtBlob.U16(Info, 0), to = XtBlob.U16(Info, 2);
        if (from != 0)
        {
            text.Append(" --from ").Append(from.ToString(CultureInfo.InvariantCulture));
        }

        if (to != ushort.MaxValue)
        {
            text.Append(" --to ").Append(to.ToString(CultureInfo.InvariantCulture));
        }

        if (Revision > 0 && (flags & FlagIgnoreCase) != 0)
        {
            text.Append(" --icase");
        }

        return text.ToString();
    }
}
