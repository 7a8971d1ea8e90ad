using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Nftables.Printing;

namespace SnatTools.Tests.Nftables;

/// <summary>
/// Dumped expression bytes the kernel refuses on input are made sendable, and state that traffic
/// moves is not mistaken for a changed rule (docs/guide/architecture.md, "Bytes that go back");
/// and nft's chain listing is mapped to rules by handle.
/// </summary>
public sealed class NftSendBackTests
{
    [Fact]
    public void A_used_up_quota_goes_back_without_the_depleted_flag_the_kernel_refuses_but_with_its_consumption()
    {
        var dumped = Raw("quota", w => { w.PutBe64(1, 1000); w.PutBe64(4, 1000); w.PutBe32(2, 2 | 1); });

        var sent = NftSendBack.ForSending(dumped);

        Assert.Equal(Raw("quota", w => { w.PutBe64(1, 1000); w.PutBe64(4, 1000); w.PutBe32(2, 1); }).Raw.ToArray(), sent.Raw.ToArray());
    }

    [Fact]
    public void An_exthdr_set_goes_back_without_flags_and_a_reset_with_type_and_op_only()
    {
        var set = Raw("exthdr", w => { w.PutBe32(7, 1); w.PutU8(2, 2); w.PutBe32(3, 2); w.PutBe32(4, 2); w.PutBe32(5, 0); w.PutBe32(6, 1); });
        var reset = Raw("exthdr", w => { w.PutU8(2, 2); w.PutBe32(3, 0); w.PutBe32(4, 0); w.PutBe32(5, 0); w.PutBe32(6, 1); });
        var load = Raw("exthdr", w => { w.PutBe32(1, 1); w.PutU8(2, 2); w.PutBe32(3, 2); w.PutBe32(4, 2); w.PutBe32(5, 0); w.PutBe32(6, 1); });

        Assert.Equal(Raw("exthdr", w => { w.PutBe32(7, 1); w.PutU8(2, 2); w.PutBe32(3, 2); w.PutBe32(4, 2); w.PutBe32(6, 1); }).Raw.ToArray(), NftSendBack.ForSending(set).Raw.ToArray());
        Assert.Equal(Raw("exthdr", w => { w.PutU8(2, 2); w.PutBe32(6, 1); }).Raw.ToArray(), NftSendBack.ForSending(reset).Raw.ToArray());
        Assert.Same(load, NftSendBack.ForSending(load));
    }

    [Fact]
    public void A_dynset_goes_back_without_a_zero_timeout_but_keeps_a_real_one()
    {
        var zero = Raw("dynset", w => { w.PutString(1, "s"); w.PutBe32(3, 0); w.PutBe64(6, 0); });
        var real = Raw("dynset", w => { w.PutString(1, "s"); w.PutBe32(3, 0); w.PutBe64(6, 30_000); });

        Assert.Equal(Raw("dynset", w => { w.PutString(1, "s"); w.PutBe32(3, 0); }).Raw.ToArray(), NftSendBack.ForSending(zero).Raw.ToArray());
        Assert.Equal(real.Raw.ToArray(), NftSendBack.ForSending(real).Raw.ToArray());
    }

    [Fact]
    public void Counter_quota_consumption_and_last_are_state_but_a_quota_s_size_is_configuration()
    {
        Assert.True(NftSendBack.SameConfiguration(new CounterExpression(1, 2), new CounterExpression(5, 900)));
        Assert.True(NftSendBack.SameConfiguration(Raw("last", w => { w.PutBe32(1, 1); w.PutBe64(2, 10); }), Raw("last", w => { w.PutBe32(1, 1); w.PutBe64(2, 99) ; })));
        Assert.True(NftSendBack.SameConfiguration(
            Raw("quota", w => { w.PutBe64(1, 1000); w.PutBe64(4, 10); w.PutBe32(2, 0); }),
            Raw("quota", w => { w.PutBe64(1, 1000); w.PutBe64(4, 1000); w.PutBe32(2, 2); })));
        Assert.False(NftSendBack.SameConfiguration(
            Raw("quota", w => { w.PutBe64(1, 1000); w.PutBe64(4, 0); w.PutBe32(2, 0); }),
            Raw("quota", w => { w.PutBe64(1, 2000); w.PutBe64(4, 0); w.PutBe32(2, 0); })));
        Assert.False(NftSendBack.SameConfiguration(Raw("limit", w => w.PutBe64(1, 10)), Raw("limit", w => w.PutBe64(1, 20))));
    }

    [Fact]
    public void Nft_s_chain_listing_maps_each_rule_line_to_its_handle()
    {
        const string listing = """
            table ip t {
            	set s { # handle 3
            		type ipv4_addr
            		elements = { 198.18.0.1 }
            	}

            	chain post { # handle 1
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr @s masquerade # handle 4
            		tcp option maxseg size set 1360 masquerade comment "a # b" # handle 12
            	}
            }

            """;

        var rules = LibNftables.RulesByHandle(listing);

        Assert.Equal(2, rules.Count);
        Assert.Equal("ip saddr @s masquerade", rules[4]);
        Assert.Equal("tcp option maxseg size set 1360 masquerade comment \"a # b\"", rules[12]);
    }

    [Fact]
    public void An_unprintable_part_is_marked_unknown_without_its_value()
    {
        Assert.Equal("[unknown cmp eq meta length]", NftRulePrinter.UnknownText("[ cmp eq meta length 0xe8030000 ]"));
        Assert.Equal("[unknown exthdr]", NftRulePrinter.UnknownText("[ exthdr ? 0800010000000001 ]"));
    }

    private static UnknownExpression Raw(string name, Action<NetlinkWriter> write)
    {
        var writer = new NetlinkWriter(128);
        write(writer);
        return new UnknownExpression(name, writer.WrittenSpan.ToArray(), "test");
    }
}
