using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using CsCheck;
using SnatTools.Core.Linux;

namespace SnatTools.Tests.Linux;

/// <summary>
/// InetNtop against the oracle every tool here prints with: libc's own inet_ntop, called directly.
/// </summary>
public sealed class InetNtopTests
{
    private const int AF_INET = 2, AF_INET6 = 10;

    /// <summary>A group: mostly zero (so runs of every length and ties occur), else ffff, a small value or any.</summary>
    private static readonly Gen<ushort> Word = Gen.Frequency(
        (6, Gen.Const((ushort)0)),
        (1, Gen.Const((ushort)0xffff)),
        (1, Gen.UShort[1, 0xff]),
        (2, Gen.UShort));

    /// <summary>The last 32 bits of the embedded forms: zero, small or any.</summary>
    private static readonly Gen<ushort[]> Tail = Word.Array[2];

    /// <summary>
    /// Sixteen bytes biased to what the printers disagree on: zero runs, the IPv4-mapped,
    /// -compatible, SIIT (::ffff:0:a.b.c.d) and ISATAP (x::5efe:a.b.c.d) prefixes, all zero and all one.
    /// </summary>
    private static readonly Gen<byte[]> Address = Gen.Frequency(
        (8, Word.Array[8].Select(Bytes)),
        (2, Tail.Select(t => Bytes([0, 0, 0, 0, 0, 0xffff, t[0], t[1]]))),
        (2, Tail.Select(t => Bytes([0, 0, 0, 0, 0, 0, t[0], t[1]]))),
        (1, Tail.Select(t => Bytes([0, 0, 0, 0, 0xffff, 0, t[0], t[1]]))),
        (1, Gen.Select(Word.Array[4], Tail).Select((head, t) => Bytes([head[0], head[1], head[2], head[3], 0, 0x5efe, t[0], t[1]]))),
        (1, Gen.Const(new byte[16])),
        (1, Gen.Const(Enumerable.Repeat((byte)0xff, 16).ToArray())),
        (2, Gen.Byte.Array[16]));

    [Fact]
    public void Every_IPv6_address_prints_as_libc_inet_ntop_prints_it()
    {
        Address.Sample(
            bytes => InetNtop.Format(bytes) == LibcText(AF_INET6, bytes),
            iter: 200_000,
            print: bytes => $"{Convert.ToHexString(bytes)}: ours {InetNtop.Format(bytes)}, libc {LibcText(AF_INET6, bytes)}");
    }

    [Fact]
    public void Every_IPv4_address_prints_as_libc_inet_ntop_prints_it()
    {
        Gen.Byte.Array[4].Sample(bytes => InetNtop.Format(bytes) == LibcText(AF_INET, bytes), iter: 20_000);
    }

    /// <summary>Fixed cases, each checked against libc too, so the expectations here cannot drift from it.</summary>
    [Theory]
    [InlineData("::ffff:0:1.2.3.4", "::ffff:0:102:304", "::ffff:0:1.2.3.4")]
    [InlineData("::ffff:0.0.0.1", "::ffff:0.0.0.1", "::ffff:0:1")]
    [InlineData("::ffff:0.0.0.0", "::ffff:0.0.0.0", "::ffff:0:0")]
    [InlineData("fe80::5efe:c612:1", "fe80::5efe:c612:1", "fe80::5efe:198.18.0.1")]
    [InlineData("::ffff:198.18.0.1", "::ffff:198.18.0.1", null)]
    [InlineData("::198.18.0.1", "::198.18.0.1", null)]
    [InlineData("::0.1.0.0", "::0.1.0.0", null)]
    [InlineData("::0.0.1.2", "::102", null)]
    [InlineData("::1", "::1", null)]
    [InlineData("::", "::", null)]
    [InlineData("2001:db8:0:1:0:0:1:0", "2001:db8:0:1::1:0", null)]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", null)]
    [InlineData("2001:db8:0:1:2:3:4:5", "2001:db8:0:1:2:3:4:5", null)]
    [InlineData("2001:db8::", "2001:db8::", null)]
    public void Embedded_IPv4_zero_runs_and_single_zero_groups_print_as_glibc_does(string input, string glibc, string? dotnet)
    {
        byte[] bytes = IPAddress.Parse(input).GetAddressBytes();
        Assert.Equal(glibc, LibcText(AF_INET6, bytes));
        Assert.Equal(glibc, InetNtop.Format(bytes));
        Assert.Equal(glibc, InetNtop.Format(IPAddress.Parse(input)));

        // Where .NET's own text differs, say so: these are the cases this type exists for.
        Assert.Equal(dotnet ?? glibc, IPAddress.Parse(input).ToString());
    }

    [Fact]
    public void A_scope_id_never_appears()
    {
        var scoped = IPAddress.Parse("fe80::1%7");
        Assert.Equal("fe80::1", InetNtop.Format(scoped));
        Assert.Equal("[fe80::1]:443", InetNtop.FormatWithPort(scoped, 443));
        Assert.Equal("198.18.0.1:443", InetNtop.FormatWithPort(IPAddress.Parse("198.18.0.1"), 443));
    }

    [Fact]
    public void Other_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => InetNtop.Format(new byte[5]));
    }

    private static byte[] Bytes(ushort[] words)
    {
        var bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[2 * i] = (byte)(words[i] >> 8);
            bytes[(2 * i) + 1] = (byte)words[i];
        }

        return bytes;
    }

    private static string LibcText(int family, byte[] address)
    {
        var text = new byte[64];
        if (inet_ntop(family, address, text, (uint)text.Length) == IntPtr.Zero)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        return Encoding.ASCII.GetString(text, 0, Array.IndexOf(text, (byte)0));
    }

    // The oracle: glibc's inet_ntop itself (arpa/inet.h), which iptables-save and nft print with.
    [DllImport("libc", ExactSpelling = true, SetLastError = true)]
    private static extern IntPtr inet_ntop(int af, byte[] src, [Out] byte[] dst, uint size);
}
