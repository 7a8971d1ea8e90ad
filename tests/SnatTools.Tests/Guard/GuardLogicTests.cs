using SnatTools.Core.Guard;
using SnatTools.Core.Netlink;

namespace SnatTools.Tests.Guard;

/// <summary>The guard's debounce, backoff and own-change filter, on a clock the test moves (no kernel, no root).</summary>
public sealed class GuardLogicTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void A_single_change_is_read_after_the_quiet_period()
    {
        var coalescer = new EventCoalescer(Ms(200), Ms(700));
        Assert.False(coalescer.Pending);
        coalescer.Add(Ms(1000));
        Assert.Equal(Ms(1200), coalescer.Deadline);
        Assert.False(coalescer.IsDue(Ms(1199)));
        Assert.True(coalescer.IsDue(Ms(1200)));
        Assert.Equal(Ms(1000), coalescer.Take());
        Assert.False(coalescer.Pending);
        Assert.Null(coalescer.Take());
    }

    [Fact]
    public void A_burst_is_read_once_when_it_settles()
    {
        var coalescer = new EventCoalescer(Ms(200), Ms(700));
        for (int i = 0; i < 30; i++)
        {
            coalescer.Add(Ms(1000 + (i * 10))); // 30 changes, 10 ms apart
            Assert.False(coalescer.IsDue(Ms(1000 + (i * 10))));
        }

        Assert.Equal(Ms(1290 + 200), coalescer.Deadline);
        Assert.True(coalescer.IsDue(Ms(1490)));
    }

    [Fact]
    public void A_ruleset_that_never_settles_is_still_read_within_the_maximum_delay()
    {
        var coalescer = new EventCoalescer(Ms(200), Ms(700));
        var t = Ms(5000);
        int reads = 0;
        TimeSpan? first = null;
        // 100 changes a second for 3 s: one read per 700 ms at most, each no later than 700 ms after its first change.
        for (int i = 0; i < 300; i++, t += Ms(10))
        {
            coalescer.Add(t);
            if (coalescer.IsDue(t))
            {
                first = coalescer.Take();
                Assert.True(t - first <= Ms(700));
                reads++;
            }
        }

        Assert.InRange(reads, 3, 5);
    }

    [Fact]
    public void The_coalescer_refuses_a_maximum_shorter_than_the_quiet_period() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCoalescer(Ms(500), Ms(100)));

    [Fact]
    public void A_chain_repaired_again_and_again_is_held_back_doubling_then_forgiven()
    {
        var backoff = new RepairBackoff { Threshold = 3, Window = TimeSpan.FromSeconds(10) };
        Assert.False(backoff.TakeReleased(Ms(0)));
        const string Chain = "docker";
        Assert.Null(backoff.Repaired(Chain, Ms(0)));
        Assert.Null(backoff.Repaired(Chain, Ms(500)));
        Assert.False(backoff.TakeReleased(Ms(600))); // repaired but never held: nothing to release
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Repaired(Chain, Ms(1000)));
        Assert.Equal(Ms(2000), backoff.HeldUntil(Chain, Ms(1500)));
        Assert.Equal(Ms(2000), backoff.NextRelease(Ms(1500)));
        Assert.Null(backoff.HeldUntil("other", Ms(1500)));
        Assert.False(backoff.TakeReleased(Ms(1999)));
        Assert.True(backoff.TakeReleased(Ms(2000)));
        Assert.False(backoff.TakeReleased(Ms(2100)));
        Assert.Null(backoff.HeldUntil(Chain, Ms(2000)));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Repaired(Chain, Ms(2000)));
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Repaired(Chain, Ms(4000)));

        // Left alone for more than two windows: it starts over.
        Assert.Null(backoff.Repaired(Chain, Ms(4000 + 20_001)));
    }

    [Fact]
    public void The_hold_never_exceeds_its_maximum()
    {
        var backoff = new RepairBackoff { Threshold = 3, MaxHold = TimeSpan.FromSeconds(8) };
        TimeSpan? hold = null;
        for (int i = 0; i < 40; i++)
        {
            hold = backoff.Repaired("c", Ms(i * 100)) ?? hold;
        }

        Assert.Equal(TimeSpan.FromSeconds(8), hold);
    }

    [Fact]
    public void Only_events_of_the_guards_own_commits_count_as_its_own()
    {
        var own = new OwnChanges();
        own.Record(portId: 4242, generation: 0x1_0005);
        Assert.True(own.IsOwn(new NftRulesetEvent(4242, 5, 6, 2)));
        Assert.False(own.IsOwn(new NftRulesetEvent(4242, 6, 6, 2))); // same socket, a later commit
        Assert.False(own.IsOwn(new NftRulesetEvent(999, 5, 6, 2)));  // same generation, someone else
        own.Record(0, 7);
        Assert.False(own.IsOwn(new NftRulesetEvent(0, 7, 6, 2)));   // port 0 is the kernel's, never ours

        for (uint g = 100; g < 200; g++)
        {
            own.Record(4242, g);
        }

        Assert.False(own.IsOwn(new NftRulesetEvent(4242, 5, 6, 2))); // old commits are forgotten
        Assert.True(own.IsOwn(new NftRulesetEvent(4242, 199, 6, 2)));
    }

    [Fact]
    public void An_event_message_gives_its_sender_generation_type_and_family()
    {
        // nlmsghdr (len 20, type NFT_MSG_NEWRULE = 0x0a06, flags 0, seq 1, pid 0x1234) + nfgenmsg (ip, v0, res_id 0x0102 big-endian)
        byte[] datagram = [20, 0, 0, 0, 0x06, 0x0a, 0, 0, 1, 0, 0, 0, 0x34, 0x12, 0, 0, 2, 0, 0x01, 0x02];
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryNext(out var message));
        Assert.Equal(new NftRulesetEvent(0x1234, 0x0102, 6, 2), NftRulesetEvent.From(message));

        byte[] error = [20, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        reader = new NetlinkMessageReader(error);
        Assert.True(reader.TryNext(out message));
        Assert.Null(NftRulesetEvent.From(message));
    }
}
