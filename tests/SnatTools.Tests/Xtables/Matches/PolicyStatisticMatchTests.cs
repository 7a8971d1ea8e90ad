namespace SnatTools.Tests.Xtables.Matches;

/// <summary>
/// -m policy and -m statistic, the two matches of the real cases (an IPsec gateway's
/// "--dir out --pol none", ip-masq-agent's random split), printed as iptables-save printed them.
/// </summary>
public sealed class PolicyStatisticMatchTests
{
    private const int PolicyFlags = 304, PolicyLength = 306, Element = 76;

    [Fact]
    public void An_ipsec_gateways_policy_none_prints_direction_and_policy_only()
    {
        var blob = new MatchBlob(312).U16(PolicyFlags, 2 | 4);  // XT_POLICY_MATCH_OUT | XT_POLICY_MATCH_NONE
        Assert.Equal(" -m policy --dir out --pol none", blob.Save("policy", 0));
    }

    [Fact]
    public void Policy_elements_print_reqid_spi_proto_mode_tunnel_addresses_and_next()
    {
        var blob = new MatchBlob(312)
            .U16(PolicyFlags, 2 | 8).U16(PolicyLength, 2)
            .Address(0, "198.18.0.0").Address(16, "255.255.255.0").Address(32, "198.18.0.0").Address(48, "255.254.0.0")
            .U32(64, 1).U32(68, 1).U8(72, 50).U8(73, 1).U8(74, 0x3f)
            .U32(Element + 68, 2).U8(Element + 74, 0x20);
        Assert.Equal(
            " -m policy --dir out --pol ipsec --strict --reqid 1 --spi 0x1 --proto esp --mode tunnel --tunnel-dst 198.18.0.0/15 --tunnel-src 198.18.0.0/24 --next --reqid 2",
            blob.Save("policy", 0));
    }

    [Fact]
    public void Policy_inversions_stand_before_each_option_and_IPv6_tunnels_print_as_IPv6()
    {
        var blob = new MatchBlob(312).U16(PolicyFlags, 1).U16(PolicyLength, 1)
            .U32(64, 0xabc).U32(68, 7).U8(72, 108).U8(73, 0).U8(74, 0x3c).U8(75, 0x3c);
        Assert.Equal(" -m policy --dir in --pol ipsec ! --reqid 7 ! --spi 0xabc ! --proto ipcomp ! --mode transport", blob.Save("policy", 0));

        var six = new MatchBlob(312).U16(PolicyFlags, 2).U16(PolicyLength, 1).U8(73, 1).U8(74, 0x0b).U8(75, 0x02)
            .Address(0, "2001:db8::").Fill(16, 4, 0xff).Address(32, "2001:db8::1").Fill(48, 16, 0xff);
        Assert.Equal(" -m policy --dir out --pol ipsec --mode tunnel ! --tunnel-dst 2001:db8::1 --tunnel-src 2001:db8::/32", six.Save("policy", 0, MatchBlob.IPv6));
    }

    [Fact]
    public void A_policy_with_more_elements_than_the_kernel_holds_is_unknown()
    {
        var blob = new MatchBlob(312).U16(PolicyLength, 5);
        Assert.False(SnatTools.Core.Xtables.XtMatchRegistry.Decode("policy", 0, blob.Bytes).IsDecoded);
    }

    [Theory]
    [InlineData(0x2AAA_AAABu, 0, " --mode random --probability 0.33333333349")]  // ip-masq-agent style split: 1/3
    [InlineData(0x8000_0000u, 1, " --mode random ! --probability 1.00000000000")]
    [InlineData(0x4000_0000u, 1, " --mode random ! --probability 0.50000000000")]
    [InlineData(0x2AA9_930Cu, 0, " --mode random --probability 0.33330000006")]
    [InlineData(0u, 0, " --mode random --probability 0.00000000000")]
    public void Statistic_random_prints_the_probability_with_eleven_decimals(uint probability, ushort flags, string expected)
    {
        var blob = new MatchBlob(24).U16(0, 0).U16(2, flags).U32(4, probability);
        Assert.Equal(" -m statistic" + expected, blob.Save("statistic", 0));
    }

    [Fact]
    public void Statistic_nth_prints_every_plus_one_and_the_packet_and_ignores_the_kernels_private_part()
    {
        var blob = new MatchBlob(24).U16(0, 1).U16(2, 1).U32(4, 4).U32(8, 2).U32(12, 3).U64(16, 0xffff_8880_1234_5678);
        Assert.Equal(" -m statistic --mode nth ! --every 5 --packet 2", blob.Save("statistic", 0));

        var wrap = new MatchBlob(24).U16(0, 1).U32(4, uint.MaxValue - 1).U32(8, 7);
        Assert.Equal(" -m statistic --mode nth --every 4294967295 --packet 7", wrap.Save("statistic", 0));
    }

    [Fact]
    public void Statistic_with_an_unknown_mode_is_unknown()
    {
        Assert.False(SnatTools.Core.Xtables.XtMatchRegistry.Decode("statistic", 0, new MatchBlob(24).U16(0, 2).Bytes).IsDecoded);
    }
}
