using System.Globalization;
using System.Net;
using System.Text;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Xtables;

/// <summary>The small printing helpers libxtables uses (libxtables/xtables.c), reproduced for exact text.</summary>
public static class XtText
{
    private const string NoQuoteChars = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>xtables_save_string: " word" when only safe characters, else " \"...\"" with " \ ' escaped.</summary>
    public static string SaveString(string value)
    {
        int safe = 0;
        while (safe < value.Length && NoQuoteChars.Contains(value[safe], StringComparison.Ordinal))
        {
            safe++;
        }

        if (safe > 0 && safe == value.Length)
        {
            return " " + value;
        }

        var text = new StringBuilder(" \"", value.Length + 4);
        foreach (char c in value)
        {
            if (c is '"' or '\\' or '\'')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.Append('"').ToString();
    }

    /// <summary>" !" before an inverted option (each save function's <c>if (inv) printf(" !")</c>), else "".</summary>
    public static string Not(bool inverted) => inverted ? " !" : string.Empty;

    /// <summary>"min", or "min:max" when they differ: the "%u" / "%u:%u" range of the save functions (ports, lengths, ids).</summary>
    public static string Range(ulong min, ulong max) =>
        min == max ? min.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{min}:{max}");

    /// <summary>xtables_print_mark_mask: " 0xVAL" or " 0xVAL/0xMASK".</summary>
    public static string MarkMask(uint mark, uint mask) => ValMask(mark, mask, _ => null);

    /// <summary>
    /// xtables_print_val_mask: " 0xVAL/0xMASK" when the mask is not full, else " name" when the
    /// name map (realms, device groups) knows the value, else " 0xVAL".
    /// </summary>
    public static string ValMask(uint value, uint mask, Func<uint, string?> name)
    {
        if (mask != uint.MaxValue)
        {
            return string.Create(CultureInfo.InvariantCulture, $" 0x{value:x}/0x{mask:x}");
        }

        return name(value) is { } known ? " " + known : string.Create(CultureInfo.InvariantCulture, $" 0x{value:x}");
    }

    /// <summary>The CIDR length of a contiguous mask, or -1.</summary>
    public static int MaskToCidr(ReadOnlySpan<byte> mask)
    {
        int bits = 0;
        bool ended = false;
        foreach (byte b in mask)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                bool set = (b & (1 << bit)) != 0;
                if (set && ended)
                {
                    return -1;
                }

                if (set)
                {
                    bits++;
                }
                else
                {
                    ended = true;
                }
            }
        }

        return bits;
    }

    /// <summary>xtables_ipmask_to_numeric / ip6mask: "" for a full mask, "/N", or "/dotted" when not contiguous.</summary>
    public static string MaskToNumeric(ReadOnlySpan<byte> mask)
    {
        int cidr = MaskToCidr(mask);
        if (cidr == -1)
        {
            return "/" + InetNtop.Format(mask);
        }

        return cidr == mask.Length * 8 ? string.Empty : "/" + cidr.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A union nf_inet_addr at offset followed by its mask (the next nf_inet_addr), as the save functions print
    /// them: xtables_ip(6)addr_to_numeric then xtables_ip(6)mask_to_numeric.
    /// </summary>
    public static string AddressMask(ReadOnlySpan<byte> info, int offset, bool ipv6)
    {
        int length = ipv6 ? 16 : 4;
        return Address(info.Slice(offset, length)) + MaskToNumeric(info.Slice(offset + 16, length));
    }

    /// <summary>An address as libxtables prints it: inet_ntop's text (xtables_ipaddr_to_numeric, xtables_ip6addr_to_numeric).</summary>
    public static string Address(IPAddress address) => InetNtop.Format(address);

    /// <summary><see cref="Address(IPAddress)"/> of 4 or 16 bytes in network order.</summary>
    public static string Address(ReadOnlySpan<byte> address) => InetNtop.Format(address);
}
