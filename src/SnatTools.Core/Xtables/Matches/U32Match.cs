using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m u32 rev 0 (uapi xt_u32.h): struct xt_u32 { struct xt_u32_test tests[11]; u8 ntests, invert }
/// = 1984. Each xt_u32_test (180 bytes): location[11] { u32 number; u8 nextop } (8 each), value[11]
/// { u32 min, max } at 88, u8 nnums at 176, nvalues at 177.
/// </summary>
public sealed class U32Match : XtMatch
{
    private const int Size = 1984;
    private const int MaxElements = 11;  // XT_U32_MAXSIZE + 1
    private const int TestSize = 180;

    private U32Match(byte[] info)
        : base("u32", 0, info)
    {
    }

    public static U32Match? Decode(uint revision, byte[] info)
    {
        if (revision != 0 || info.Length != Size || info[1980] > MaxElements)
        {
            return null;
        }

        for (int t = 0; t < info[1980]; t++)
        {
            if (info[(t * TestSize) + 176] > MaxElements || info[(t * TestSize) + 177] > MaxElements)
            {
                return null;
            }
        }

        return new U32Match(info);
    }

    /// <summary>u32_save: "[!] --u32" and u32_dump, the tests in hex inside double quotes.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder(XtText.Not(Info[1981] != 0)).Append(" --u32 \"");
        for (int t = 0; t < Info[1980]; t++)
        {
            var test = Info.AsSpan(t * TestSize, TestSize);
            text.Append(t > 0 ? "&&" : string.Empty).Append(Hex(XtBlob.U32(test, 0)));
            for (int i = 1; i < test[176]; i++)
            {
                text.Append(test[(8 * i) + 4] switch { 0 => "&", 1 => "<<", 2 => ">>", 3 => "@", _ => string.Empty });
                text.Append(Hex(XtBlob.U32(test, 8 * i)));
            }

            text.Append('=');
            for (int i = 0; i < test[177]; i++)
            {
                uint min = XtBlob.U32(test, 88 + (8 * i)), max = XtBlob.U32(test, 92 + (8 * i));
                text.Append(i > 0 ? "," : string.Empty).Append(Hex(min));
                if (min != max)
                {
                    text.Append(':').Append(Hex(max));
                }
            }
        }

        return text.Append('"').ToString();
    }

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
