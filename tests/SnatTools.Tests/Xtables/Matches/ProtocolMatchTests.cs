using SnatTools.Core.Xtables;

namespace SnatTools.Tests.Xtables.Matches;

/// <summary>-m sctp, -m rt, -m srh, -m rateest, and the matches that existed before issue 17 at their exact sizes.</summary>
public sealed class ProtocolMatchTests
{
    private static MatchBlob Sctp(uint flags, uint invflags, uint matchType, params int[] chunks)
    {
        var blob = new MatchBlob(296).U32(264, matchType).U32(284, flags).U32(288, invflags);
        foreach (int chunk in chunks)
        {
            blob.U32(8 + (4 * (chunk / 32)), BitConverter.ToUInt32(blob.Bytes, 8 + (4 * (chunk / 32))) | (1u << (chunk % 32)));
        }

        return blob;
    }

    [Fact]
    public void Sctp_prints_ports_and_chunk_types_with_flags_in_table_order_letters()
    {
        var blob = Sctp(1 | 4, 1, 2, 0, 1, 6, 14).U16(4, 5).U16(6, 6)
            .Raw(268, 0, 0x0a, 0x0f, 6, 0, 1, 14, 1, 1).U32(280, 3);
        Assert.Equal(" -m sctp ! --sport 5:6 --chunk-types all DATA:IuBe,INIT,ABORT:t,SHUTDOWN_COMPLETE:T", blob.Save("sctp", 0));
    }

    [Fact]
    public void Sctp_prints_NONE_ALL_and_chunks_by_type_number_order()
    {
        Assert.Equal(" -m sctp --dport 7 --chunk-types any NONE", Sctp(2 | 4, 0, 1).U16(0, 7).U16(2, 7).Save("sctp", 0));
        Assert.Equal(" -m sctp ! --chunk-types only ALL", Sctp(4, 4, 4).Fill(8, 256, 0xff).Save("sctp", 0));
        Assert.Equal(
            " -m sctp --chunk-types any I_DATA,ASCONF_ACK,RE_CONFIG,PAD,ASCONF,I_FORWARD_TSN",
            Sctp(4, 0, 1, 64, 130, 132, 193, 128, 194).Save("sctp", 0));
    }

    [Fact]
    public void Sctp_with_flags_on_a_chunk_past_the_name_table_is_unknown()
    {
        Assert.False(XtMatchRegistry.Decode("sctp", 0, Sctp(4, 0, 1, 64).Raw(268, 64, 1, 1).U32(280, 1).Bytes).IsDecoded);
        Assert.False(XtMatchRegistry.Decode("sctp", 0, Sctp(4, 0, 1).U32(280, 5).Bytes).IsDecoded);
        Assert.False(XtMatchRegistry.Decode("sctp", 0, Sctp(4, 0, 3, 1).Bytes).IsDecoded);
    }

    [Fact]
    public void Rt_prints_type_segments_length_and_addresses()
    {
        var blob = new MatchBlob(280).U32(0, 0).U32(4, 1).U32(8, 23).U32(12, 48).U8(16, 1 | 4 | 8 | 0x10 | 0x20).U8(17, 2)
            .Address(20, "2001:db8::1").Address(36, "2001:db8::2").U8(276, 2);
        Assert.Equal(" -m rt --rt-type 0 ! --rt-segsleft 1:23 --rt-len 48 --rt-0-res --rt-0-addrs 2001:db8::1,2001:db8::2 --rt-0-not-strict", blob.Save("rt", 0, MatchBlob.IPv6));
        Assert.Equal(" -m rt", new MatchBlob(280).U32(8, uint.MaxValue).Save("rt", 0, MatchBlob.IPv6));
        Assert.False(XtMatchRegistry.Decode("rt", 0, new MatchBlob(280).U8(276, 17).Bytes).IsDecoded);
    }

    [Fact]
    public void Srh_prints_each_flagged_test_and_revision_1_the_sids()
    {
        Assert.Equal(" -m srh ! --srh-next-hdr 17 --srh-hdr-len-gt 8 --srh-tag 5", new MatchBlob(16).U8(0, 17).U8(1, 8).U16(4, 5).U16(6, 0x0001 | 0x0004 | 0x0400).U16(8, 1).Save("srh", 0, MatchBlob.IPv6));
        var one = new MatchBlob(112).U8(2, 1).U16(104, 0x0010 | 0x0800 | 0x2000).U16(106, 0x2000)
            .Address(8, "2001:db8::").Fill(56, 8, 0xff).Address(40, "2001:db8::9").Fill(88, 16, 0xff);
        Assert.Equal(" -m srh --srh-segs-left-eq 1 --srh-psid 2001:db8::/64 ! --srh-lsid 2001:db8::9/128", one.Save("srh", 1, MatchBlob.IPv6));

        // xtables_ip6mask_to_cidr gives -1 for a mask with a hole, and srh1_save prints it with %u.
        Assert.EndsWith("--srh-lsid 2001:db8::9/4294967295", one.U8(100, 0).Save("srh", 1, MatchBlob.IPv6));
    }

    private static MatchBlob Rateest(ushort flags, ushort mode, uint bps1 = 0, uint pps1 = 0, uint bps2 = 0, uint pps2 = 0) =>
        new MatchBlob(72).Text(0, "RE1").Text(16, "RE2").U16(32, flags).U16(34, mode).U32(36, bps1).U32(40, pps1).U32(44, bps2).U32(48, pps2).U64(56, 0xffff_8880_0000_0001);

    [Fact]
    public void Rateest_prints_names_modes_and_rates_as_iptables_save_does()
    {
        const ushort Invert = 1, Abs = 2, Rel = 4, Delta = 8, Bps = 16, Pps = 32;
        Assert.Equal(" -m rateest --rateest RE1 --rateest-eq --rateest-pps 5", Rateest(Abs | Pps, 1, pps2: 5).Save("rateest", 0));
        Assert.Equal(" -m rateest --rateest RE1 --rateest-gt --rateest-bps 5000bit", Rateest(Abs | Bps, 3, bps2: 625).Save("rateest", 0));
        Assert.Equal(" -m rateest --rateest RE1 --rateest-lt --rateest-bps 1235Kbit", Rateest(Abs | Bps, 2, bps2: 154320).Save("rateest", 0));
        Assert.Equal(" -m rateest --rateest RE1 ! --rateest-lt --rateest-bps 125062Kbit", Rateest(Invert | Abs | Bps, 2, bps2: 15632812).Save("rateest", 0));
        Assert.Equal(" -m rateest --rateest-delta --rateest RE1 --rateest-bps1 8bit --rateest-eq --rateest-bps2 16bit", Rateest(Delta | Bps, 1, bps1: 1, bps2: 2).Save("rateest", 0));
        Assert.Equal(" -m rateest --rateest-delta --rateest1 RE1 --rateest-pps1 0 --rateest-lt --rateest-pps2 42 --rateest2 RE2", Rateest(Delta | Rel | Pps, 2, pps2: 42).Save("rateest", 0));
        Assert.Equal(" -m rateest --rateest1 RE1 --rateest-lt --rateest-bps --rateest-lt --rateest-pps --rateest2 RE2", Rateest(Rel | Bps | Pps, 2).Save("rateest", 0));
    }

    [Fact]
    public void Rateest_rounds_half_to_even_as_printf_does()
    {
        // 125,062,500 bytes/s is 1,000,500,000 bit/s, exactly 1000.5 Mbit: printf's %.0f gives the even 1000 and 1001.5 the even 1002.
        Assert.Equal(" -m rateest --rateest RE1 --rateest-gt --rateest-bps 1000Mbit", Rateest(2 | 16, 3, bps2: 125062500).Save("rateest", 0));
        Assert.Equal(" -m rateest --rateest RE1 --rateest-gt --rateest-bps 1002Mbit", Rateest(2 | 16, 3, bps2: 125187500).Save("rateest", 0));
    }

    [Fact]
    public void Rateest_with_a_rate_and_no_valid_mode_is_unknown() =>
        Assert.False(XtMatchRegistry.Decode("rateest", 0, Rateest(2 | 16, 0).Bytes).IsDecoded);

    [Fact]
    public void Multiport_prints_ranges_and_inversion_and_refuses_what_the_kernel_refuses()
    {
        var blob = new MatchBlob(48).U8(0, 1).U8(1, 4).U16(2, 1).U16(4, 3).U16(6, 5).U16(8, 7).U8(32, 1).U8(35, 1).U8(47, 1);
        Assert.Equal(" -m multiport ! --dports 1:3,5,7:0", blob.Save("multiport", 1));
        Assert.False(XtMatchRegistry.Decode("multiport", 1, new MatchBlob(48).U8(0, 3).Bytes).IsDecoded);
        Assert.False(XtMatchRegistry.Decode("multiport", 1, new MatchBlob(48).U8(1, 16).Bytes).IsDecoded);
        Assert.False(XtMatchRegistry.Decode("multiport", 1, new MatchBlob(48).U8(1, 15).U8(46, 1).Bytes).IsDecoded);
    }

    [Fact]
    public void Physdev_mark_state_tcp_and_set_print_at_their_aligned_sizes()
    {
        Assert.Equal(" -m physdev --physdev-in eth+ ! --physdev-is-out ! --physdev-out veth0 --physdev-is-bridged", new MatchBlob(72).Text(0, "eth+").Fill(16, 3, 0xff).Text(32, "veth0").U8(64, 2 | 16).U8(65, 1 | 2 | 4 | 16).Save("physdev", 0));
        Assert.False(XtMatchRegistry.Decode("physdev", 0, new MatchBlob(72).Fill(0, 16, (byte)'e').U8(65, 1).Bytes).IsDecoded);
        Assert.Equal(" -m mark ! --mark 0x5/0xff", new MatchBlob(16).U32(0, 5).U32(4, 0xff).U8(8, 1).Save("mark", 1));
        Assert.Equal(" -m state --state INVALID,NEW,UNTRACKED", new MatchBlob(8).U32(0, 1 | 8 | 64).Save("state", 0));
        Assert.Equal(" -m tcp ! --sport 3:4 ! --tcp-option 5 ! --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN,ACK", new MatchBlob(16).U16(0, 3).U16(2, 4).U16(6, 0xffff).U8(8, 5).U8(9, 0x3f).U8(10, 0x12).U8(11, 1 | 4 | 8).Save("tcp", 0));
        Assert.Equal(" -m udp --dport 53", new MatchBlob(16).U16(2, 0xffff).U16(4, 53).U16(6, 53).Save("udp", 0));
        var named = new XtSaveContext(false, 0, index => index == 3 ? "foo" : null);
        Assert.Equal(" -m set ! --match-set foo src,dst", new MatchBlob(32).U16(0, 3).U32(4, 1 | 4).U32(8, 2).Save("set", 0, named));
        Assert.Equal(" -m set --match-set foo dst,dst,src --return-nomatch", new MatchBlob(8).U16(0, 3).U8(2, 3).U8(3, 8 | 0x80).Save("set", 2, named));
        Assert.Equal(
            " -m set ! --match-set foo src,dst --return-nomatch ! --update-counters ! --update-subcounters --packets-gt 5 ! --bytes-eq 7",
            new MatchBlob(48).U16(0, 3).U8(2, 2).U8(3, 1 | 2).U64(8, 5).U8(16, 4).U64(24, 7).U8(32, 2).U32(40, 8 | 16 | 128).Save("set", 4, named));
    }

    [Fact]
    public void Tcp_flags_outside_FIN_to_URG_are_shown_as_not_decoded_instead_of_throwing()
    {
        var match = XtMatchRegistry.Decode("tcp", 0, new MatchBlob(16).U16(2, 0xffff).U16(6, 0xffff).U8(9, 0xc0).U8(10, 0x40).Bytes);
        Assert.False(match.IsDecoded);
        Assert.Equal(" -m tcp --tcp-flags 0xc0 0x40", match.Save(MatchBlob.IPv4));
    }
}
