using SnatTools.Core.Xtables;

namespace SnatTools.Tests.Xtables;

/// <summary>The shared libxtables printing helpers the match decoders use, against what iptables-save prints.</summary>
public sealed class XtTextTests
{
    [Fact]
    public void Not_is_a_space_and_bang_only_when_inverted()
    {
        Assert.Equal(" !", XtText.Not(true));
        Assert.Equal(string.Empty, XtText.Not(false));
    }

    [Theory]
    [InlineData(80UL, 80UL, "80")]
    [InlineData(0UL, 65535UL, "0:65535")]
    [InlineData(1024UL, 80UL, "1024:80")]                     // printed as stored, never reordered
    [InlineData(0UL, 4294967295UL, "0:4294967295")]
    public void Range_is_min_or_min_colon_max(ulong min, ulong max, string expected)
    {
        Assert.Equal(expected, XtText.Range(min, max));
    }

    [Fact]
    public void ValMask_prints_a_partial_mask_in_hex_and_names_only_a_full_mask()
    {
        Assert.Equal(" 0x3/0xff", XtText.ValMask(3, 0xff, _ => "never"));
        Assert.Equal(" cosmos", XtText.ValMask(3, uint.MaxValue, id => id == 3 ? "cosmos" : null));
        Assert.Equal(" 0x4", XtText.ValMask(4, uint.MaxValue, id => id == 3 ? "cosmos" : null));
        Assert.Equal(" 0x10/0xf0", XtText.MarkMask(0x10, 0xf0));
        Assert.Equal(" 0x10", XtText.MarkMask(0x10, uint.MaxValue));
    }

    [Fact]
    public void AddressMask_reads_an_nf_inet_addr_and_the_mask_after_it()
    {
        var v4 = new byte[32];
        new byte[] { 198, 18, 7, 0 }.CopyTo(v4, 0);
        new byte[] { 255, 255, 255, 0 }.CopyTo(v4, 16);
        Assert.Equal("198.18.7.0/24", XtText.AddressMask(v4, 0, ipv6: false));

        v4[19] = 255;
        Assert.Equal("198.18.7.0", XtText.AddressMask(v4, 0, ipv6: false));

        new byte[] { 255, 0, 255, 0 }.CopyTo(v4, 16);
        Assert.Equal("198.18.7.0/255.0.255.0", XtText.AddressMask(v4, 0, ipv6: false));

        var v6 = new byte[40];
        new byte[] { 0x20, 0x01, 0x0d, 0xb8 }.CopyTo(v6, 8);
        v6.AsSpan(24, 6).Fill(0xff);
        Assert.Equal("2001:db8::/48", XtText.AddressMask(v6, 8, ipv6: true));
    }
}
