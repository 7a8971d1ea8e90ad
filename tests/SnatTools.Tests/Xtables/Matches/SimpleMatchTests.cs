namespace SnatTools.Tests.Xtables.Matches;

/// <summary>
/// The small matches: blob built from the uapi struct, text as iptables-save 1.8.9 printed the same
/// rule in a namespace (see the note of issue 17 for the live comparison).
/// </summary>
public sealed class SimpleMatchTests
{
    [Fact]
    public void Owner_prints_socket_uid_range_inverted_gid_and_supplementary_groups_in_save_order()
    {
        var blob = new MatchBlob(24).U32(0, 0).U32(4, 100).U32(8, 5).U32(12, 5).U8(16, 1 | 2 | 8).U8(17, 2);
        Assert.Equal(" -m owner --uid-owner 0-100 ! --gid-owner 5 --suppl-groups", blob.Save("owner", 1));
        Assert.Equal(" -m owner ! --socket-exists", new MatchBlob(24).U8(16, 4).U8(17, 4).Save("owner", 1));
    }

    [Fact]
    public void Tos_prints_value_then_mask_as_two_hex_digits()
    {
        Assert.Equal(" -m tos ! --tos 0x10/0x3f", new MatchBlob(8).U8(0, 0x3f).U8(1, 0x10).U8(2, 1).Save("tos", 1));
        Assert.Equal(" -m tos --tos 0x00/0xff", new MatchBlob(8).U8(0, 0xff).Save("tos", 1));
    }

    [Theory]
    [InlineData(0, " --ttl-eq 3")]
    [InlineData(1, " ! --ttl-eq 3")]
    [InlineData(2, " --ttl-lt 3")]
    [InlineData(3, " --ttl-gt 3")]
    [InlineData(9, " 3")]
    public void Ttl_prints_its_mode_and_value(byte mode, string expected) =>
        Assert.Equal(" -m ttl" + expected, new MatchBlob(8).U8(0, mode).U8(1, 3).Save("ttl", 0));

    [Fact]
    public void Mac_prints_lower_case_hex_with_colons()
    {
        Assert.Equal(" -m mac ! --mac-source 42:01:02:03:04:ff", new MatchBlob(16).Raw(0, 0x42, 1, 2, 3, 4, 0xff).U32(8, 1).Save("mac", 0));
    }

    [Theory]
    [InlineData(0, 1, " ! --pkt-type unicast")]
    [InlineData(1, 0, " --pkt-type broadcast")]
    [InlineData(2, 0, " --pkt-type multicast")]
    [InlineData(3, 0, " --pkt-type otherhost")]
    [InlineData(7, 0, " --pkt-type 7")]
    public void Pkttype_prints_the_first_name_of_its_type(int type, int invert, string expected) =>
        Assert.Equal(" -m pkttype" + expected, new MatchBlob(8).U32(0, (uint)type).U32(4, (uint)invert).Save("pkttype", 0));

    [Fact]
    public void Quota_prints_the_configured_bytes_and_ignores_the_kernel_pointer()
    {
        Assert.Equal(" -m quota ! --quota 18446744073709551615", new MatchBlob(24).U32(0, 1).U64(8, ulong.MaxValue).U64(16, 0xffff_8880_0000_0000).Save("quota", 0));
        Assert.Equal(" -m quota --quota 0", new MatchBlob(24).Save("quota", 0));
    }

    [Fact]
    public void Tcpmss_prints_a_value_or_a_range()
    {
        Assert.Equal(" -m tcpmss ! --mss 5:1400", new MatchBlob(8).U16(0, 5).U16(2, 1400).U8(4, 1).Save("tcpmss", 0));
        Assert.Equal(" -m tcpmss --mss 1400", new MatchBlob(8).U16(0, 1400).U16(2, 1400).Save("tcpmss", 0));
    }

    [Fact]
    public void Mh_prints_nothing_for_the_full_range_and_numbers_otherwise()
    {
        Assert.Equal(" -m mh", new MatchBlob(8).U8(1, 0xff).Save("mh", 0, MatchBlob.IPv6));
        Assert.Equal(" -m mh ! --mh-type 4", new MatchBlob(8).U8(0, 4).U8(1, 4).U8(2, 1).Save("mh", 0, MatchBlob.IPv6));
        Assert.Equal(" -m mh --mh-type 4:123", new MatchBlob(8).U8(0, 4).U8(1, 123).Save("mh", 0, MatchBlob.IPv6));
    }

    [Fact]
    public void Nfacct_quotes_its_name_as_xtables_save_string_does()
    {
        // nfacct_save's own space and xtables_save_string's: iptables-save prints two.
        Assert.Equal(" -m nfacct --nfacct-name  acct1", new MatchBlob(40).Text(0, "acct1").Save("nfacct", 1));
        Assert.Equal(" -m nfacct --nfacct-name  \"a b\"", new MatchBlob(40).Text(0, "a b").Save("nfacct", 0));
        Assert.False(SnatTools.Core.Xtables.XtMatchRegistry.Decode("nfacct", 1, new MatchBlob(40).Fill(0, 32, (byte)'a').Bytes).IsDecoded);
    }

    [Fact]
    public void Realm_names_a_full_mask_id_from_rt_realms_and_prints_hex_otherwise()
    {
        Assert.Equal(" -m realm --realm 0x3/0xff", new MatchBlob(16).U32(0, 3).U32(4, 0xff).Save("realm", 0));
        Assert.Equal(" -m realm ! --realm 0x3000", new MatchBlob(16).U32(0, 0x3000).U32(4, uint.MaxValue).U8(8, 1).Save("realm", 0));
    }

    [Fact]
    public void Realm_names_are_read_as_xtables_lmap_init_reads_them()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["# comment", "0 cosmos", "  0x10\tsixteen extra", "300 toolarge", "7", "8 # none", "x9 bad", "9 nine"]);
            var realms = SnatTools.Core.Xtables.XtNameMap.ReadLmap(path);
            Assert.Equal([(0, "cosmos"), (16, "sixteen"), (9, "nine")], realms);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Osf_prints_genre_ttl_and_log_when_flagged()
    {
        var blob = new MatchBlob(48).Text(0, "linux").U32(36, 1 | 2 | 4 | 8).U32(40, 1).U32(44, 2);
        Assert.Equal(" -m osf ! --genre linux --ttl 2 --log 1", blob.Save("osf", 0));
    }

    [Theory]
    [InlineData(0u, 0, "")]
    [InlineData(1u, 7, " --transparent")]
    [InlineData(2u, 3, " --transparent --nowildcard")]
    [InlineData(3u, 7, " --transparent --nowildcard --restore-skmark")]
    [InlineData(3u, 4, " --restore-skmark")]
    public void Socket_prints_the_flags_its_revision_knows(uint revision, byte flags, string expected)
    {
        var blob = new MatchBlob(revision == 0 ? 0 : 8);
        if (revision > 0)
        {
            blob.U8(0, flags);
        }

        Assert.Equal(" -m socket" + expected, blob.Save("socket", revision));
    }

    [Fact]
    public void Rpfilter_prints_its_flags_in_order()
    {
        Assert.Equal(" -m rpfilter --loose --validmark --accept-local --invert", new MatchBlob(8).U8(0, 15).Save("rpfilter", 0));
        Assert.Equal(" -m rpfilter", new MatchBlob(8).Save("rpfilter", 0));
    }
}
