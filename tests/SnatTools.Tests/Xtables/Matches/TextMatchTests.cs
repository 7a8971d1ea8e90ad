using SnatTools.Core.Xtables;

namespace SnatTools.Tests.Xtables.Matches;

/// <summary>-m string, -m time, -m recent, -m u32: the matches whose text has quoting, dates or expressions.</summary>
public sealed class TextMatchTests
{
    private static MatchBlob StringBlob(string algo, byte[] pattern, ushort from = 0, ushort to = ushort.MaxValue, byte flags = 0) =>
        new MatchBlob(160).U16(0, from).U16(2, to).Text(4, algo).Raw(20, pattern).U8(148, (byte)pattern.Length).U8(149, flags);

    [Fact]
    public void String_prints_printable_patterns_quoted_with_quote_and_backslash_escaped()
    {
        Assert.Equal(" -m string --string \"a b\\\"c\" --algo bm", StringBlob("bm", "a b\"c"u8.ToArray()).Save("string", 1));
        Assert.Equal(" -m string --string \"x y\" --algo bm", StringBlob("bm", "x y"u8.ToArray()).Save("string", 1));
    }

    [Fact]
    public void String_prints_hex_when_a_byte_is_not_printable_or_the_last_is_a_backslash()
    {
        Assert.Equal(" -m string --hex-string \"|0001616263|\" --algo kmp --from 3 --to 400 --icase", StringBlob("kmp", [0, 1, 0x61, 0x62, 0x63], 3, 400, 2).Save("string", 1));
        Assert.Equal(" -m string ! --hex-string \"|785c|\" --algo bm", StringBlob("bm", "x\\"u8.ToArray(), flags: 1).Save("string", 1));
        Assert.Equal(" -m string --hex-string \"|ff80|\" --algo bm", StringBlob("bm", [0xff, 0x80]).Save("string", 1));
    }

    [Fact]
    public void String_revision_0_keeps_invert_in_its_own_byte_and_has_no_icase()
    {
        Assert.Equal(" -m string ! --string \"ab\" --algo bm", StringBlob("bm", "ab"u8.ToArray(), flags: 2).Save("string", 0));
    }

    [Fact]
    public void String_with_a_pattern_longer_than_the_array_or_an_unterminated_algo_is_unknown()
    {
        Assert.False(XtMatchRegistry.Decode("string", 1, new MatchBlob(160).Text(4, "bm").U8(148, 129).Bytes).IsDecoded);
        Assert.False(XtMatchRegistry.Decode("string", 1, new MatchBlob(160).Fill(4, 16, (byte)'a').Bytes).IsDecoded);
    }

    private static MatchBlob TimeBlob(uint dateStart = 0, uint dateStop = int.MaxValue, uint start = 0, uint stop = 86399, uint monthdays = 0xfffffffe, byte weekdays = 0xfe, byte flags = 0) =>
        new MatchBlob(24).U32(0, dateStart).U32(4, dateStop).U32(8, start).U32(12, stop).U32(16, monthdays).U8(20, weekdays).U8(21, flags);

    [Fact]
    public void Time_prints_every_non_default_field_and_the_default_datestop()
    {
        var all = TimeBlob(981173106, 1347095165, 3723, 14706, 0b111110, (1 << 1) | (1 << 5) | (1 << 7), 1);
        Assert.Equal(
            " -m time --timestart 01:02:03 --timestop 04:05:06 --monthdays 1,2,3,4,5 --weekdays Mon,Fri,Sun --datestart 2001-02-03T04:05:06 --datestop 2012-09-08T09:06:05 --kerneltz",
            all.Save("time", 0));
        Assert.Equal(" -m time --timestart 23:00:00 --timestop 01:00:00 --datestop 2038-01-19T03:14:07 --contiguous", TimeBlob(start: 82800, stop: 3600, flags: 2).Save("time", 0));
        Assert.Equal(" -m time --monthdays 1,31 --weekdays Sat,Sun --datestop 2038-01-19T03:14:07", TimeBlob(monthdays: (1u << 1) | (1u << 31), weekdays: (1 << 6) | (1 << 7)).Save("time", 0));
        Assert.Equal(" -m time", TimeBlob(dateStop: 0).Save("time", 0));
    }

    private static MatchBlob RecentBlob(int size, string name, byte checkSet, byte invert = 0, uint seconds = 0, uint hits = 0, byte side = 0) =>
        new MatchBlob(size).U32(0, seconds).U32(4, hits).U8(8, checkSet).U8(9, invert).Text(10, name).U8(210, side);

    [Fact]
    public void Recent_prints_actions_options_name_mask_and_side_in_save_order()
    {
        var blob = RecentBlob(232, "x", 4 | 16 | 32, 1, 60, 3).Fill(212, 4, 0xff);
        Assert.Equal(" -m recent ! --update --seconds 60 --reap --hitcount 3 --rttl --name x --mask 255.255.255.255 --rsource", blob.Save("recent", 1));
        Assert.Equal(" -m recent --set --name a_b --mask 255.255.0.0 --rdest", RecentBlob(232, "a_b", 2, side: 1).Fill(212, 2, 0xff).Save("recent", 1));
        Assert.Equal(" -m recent --rcheck --name DEFAULT --mask ffff:ffff:ffff:ffff:: --rsource", RecentBlob(232, "DEFAULT", 1).Fill(212, 8, 0xff).Save("recent", 1, MatchBlob.IPv6));
    }

    [Fact]
    public void Recent_revision_0_has_no_mask_and_prints_seconds_as_a_signed_int()
    {
        Assert.Equal(" -m recent --rcheck --seconds -1 --name foo --rsource", RecentBlob(216, "foo", 1, seconds: uint.MaxValue).Save("recent", 0));
    }

    [Fact]
    public void U32_prints_each_test_in_hex_with_its_operators_and_ranges()
    {
        // 0>>22&0x3C@12>>26&0x3C@0=0x400:0x500,7 && 0x4&0xff=1
        var blob = new MatchBlob(1984).U8(1980, 2).U8(1981, 1)
            .U32(0, 0).U32(8, 22).U8(12, 2).U32(16, 0x3c).U8(20, 0).U32(24, 12).U8(28, 3).U32(32, 26).U8(36, 2).U32(40, 0x3c).U8(44, 0).U32(48, 0).U8(52, 3)
            .U8(176, 7).U32(88, 0x400).U32(92, 0x500).U32(96, 7).U32(100, 7).U8(177, 2)
            .U32(180, 4).U32(188, 0xff).U8(192, 0).U8(180 + 176, 2).U32(180 + 88, 1).U32(180 + 92, 1).U8(180 + 177, 1);
        Assert.Equal(" -m u32 ! --u32 \"0x0>>0x16&0x3c@0xc>>0x1a&0x3c@0x0=0x400:0x500,0x7&&0x4&0xff=0x1\"", blob.Save("u32", 0));
    }

    [Fact]
    public void U32_with_more_tests_or_numbers_than_the_arrays_hold_is_unknown()
    {
        Assert.False(XtMatchRegistry.Decode("u32", 0, new MatchBlob(1984).U8(1980, 12).Bytes).IsDecoded);
        Assert.False(XtMatchRegistry.Decode("u32", 0, new MatchBlob(1984).U8(1980, 1).U8(176, 12).Bytes).IsDecoded);
    }
}
