using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SnatTools.Core.Linux;

/// <summary>
/// An address as glibc's inet_ntop prints it (resolv/inet_ntop.c), which is what iptables-save,
/// ip6tables-save, nft (getnameinfo with NI_NUMERICHOST and no scope) and conntrack print.
/// </summary>
/// <remarks>
/// IPAddress.ToString differs for IPv6 in the embedded-IPv4 forms: it writes the last 32 bits
/// dotted for ::ffff:0:a.b.c.d (SIIT) and x::5efe:a.b.c.d (ISATAP), and not for ::ffff:0.0.0.x.
/// glibc writes them dotted only when the longest zero run starts the address and is exactly six
/// groups (::a.b.c.d), or five groups followed by ffff (::ffff:a.b.c.d). The rest is RFC 5952's
/// form, which both share: lower-case hex, the first longest run of two or more zero groups as
/// "::", a single zero group written "0". A scope id never appears (the kernel has none here).
/// </remarks>
public static class InetNtop
{
    private const int Groups = 8;

    /// <summary>The text of a 4-byte (IPv4) or 16-byte (IPv6) address in network order.</summary>
    public static string Format(ReadOnlySpan<byte> address) => address.Length switch
    {
        4 => FormatIPv4(address),
        16 => FormatIPv6(address),
        _ => throw new ArgumentException($"An address has 4 or 16 bytes, not {address.Length}.", nameof(address)),
    };

    /// <summary>The text of <paramref name="address"/>; its scope id is ignored, as inet_ntop has none.</summary>
    public static string Format(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return Format(bytes[..written]);
    }

    /// <summary>"[address]" for IPv6 and "address" for IPv4, as "address:port" texts write them.</summary>
    public static string FormatWithPort(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{Format(address)}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Format(address)}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static string FormatIPv4(ReadOnlySpan<byte> address) => string.Create(
        CultureInfo.InvariantCulture, $"{address[0]}.{address[1]}.{address[2]}.{address[3]}");

    private static string FormatIPv6(ReadOnlySpan<byte> address)
    {
        Span<ushort> words = stackalloc ushort[Groups];
        for (int i = 0; i < Groups; i++)
        {
            words[i] = (ushort)((address[2 * i] << 8) | address[(2 * i) + 1]);
        }

        var (runStart, runLength) = LongestZeroRun(words);
        var text = new StringBuilder(46);
        for (int i = 0; i < Groups; i++)
        {
            if (runStart >= 0 && i >= runStart && i < runStart + runLength)
            {
                if (i == runStart)
                {
                    text.Append(':');
                }

                continue;
            }

            if (i != 0)
            {
                text.Append(':');
            }

            if (i == 6 && runStart == 0 && (runLength == 6 || (runLength == 5 && words[5] == 0xffff)))
            {
                text.Append(FormatIPv4(address[12..]));
                return text.ToString();
            }

            text.Append(words[i].ToString("x", CultureInfo.InvariantCulture));
        }

        if (runStart >= 0 && runStart + runLength == Groups)
        {
            text.Append(':');
        }

        return text.ToString();
    }

    /// <summary>The first longest run of zero groups, or (-1, 0) when none is at least two long.</summary>
    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<ushort> words)
    {
        int bestStart = -1, bestLength = 0, start = -1;
        for (int i = 0; i <= Groups; i++)
        {
            if (i < Groups && words[i] == 0)
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0 && i - start > bestLength)
            {
                (bestStart, bestLength) = (start, i - start);
            }

            start = -1;
        }

        return bestLength >= 2 ? (bestStart, bestLength) : (-1, 0);
    }
}
