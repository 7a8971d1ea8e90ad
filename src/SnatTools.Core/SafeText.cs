using System.Globalization;
using System.Text;

namespace SnatTools.Core;

/// <summary>
/// Text that came from the kernel (rule comments, chain, table and interface names, match names)
/// can hold any bytes. Printed raw, an ESC sequence retitles or clears the operator's terminal, a
/// C0 control makes an XML report malformed, and a bidi override reorders what is read. The
/// objects keep such text byte for byte (<c>SnatRule.Text</c> equals iptables-save); views,
/// messages and reports show it through <see cref="Escape"/>: every such character as
/// <c>\x1b</c> (code points below 0x100) or <c>\u202e</c>, everything else unchanged.
/// </summary>
public static class SafeText
{
    /// <summary>
    /// The text with every control character escaped; the same instance when there is none.
    /// With <paramref name="keepLineBreaks"/> (for messages the module composes itself from
    /// lines) newline and tab stay as they are.
    /// </summary>
    public static string Escape(string? text, bool keepLineBreaks = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        int first = FirstUnsafe(text, keepLineBreaks);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (!IsUnsafe(c, keepLineBreaks))
            {
                escaped.Append(c);
            }
            else if (c < 0x100)
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return escaped.ToString();
    }

    /// <summary>True when <see cref="Escape"/> would change nothing.</summary>
    public static bool IsSafe(string? text, bool keepLineBreaks = false) =>
        string.IsNullOrEmpty(text) || FirstUnsafe(text, keepLineBreaks) < 0;

    private static int FirstUnsafe(string text, bool keepLineBreaks)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(c, keepLineBreaks))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c, bool keepLineBreaks) => c switch
    {
        '\n' or '\t' => !keepLineBreaks,
        < ' ' => true,                                    // C0: ESC, BEL, CR, NUL ...
        >= '\u007f' and <= '\u009f' => true,              // DEL and C1 (0x9b is a one-byte CSI to some terminals)
        '\u061c' or '\u200e' or '\u200f' => true,         // bidi marks
        >= '\u202a' and <= '\u202e' => true,              // bidi embeddings and overrides
        >= '\u2066' and <= '\u2069' => true,              // bidi isolates
        '\u2028' or '\u2029' => true,                     // line and paragraph separators
        '\ufffe' or '\uffff' => true,                     // not characters; invalid in XML
        _ => char.IsSurrogate(c),                         // a lone surrogate (a pair was skipped by the caller)
    };
}
