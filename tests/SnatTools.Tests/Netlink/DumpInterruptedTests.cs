using SnatTools.Core;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;
using SnatTools.Tests.Fakes;
using SnatTools.Tests.Rules;

namespace SnatTools.Tests.Netlink;

/// <summary>
/// A dump that raced a commit ends with NLM_F_DUMP_INTR (the kernel's nl_dump_check_consistent):
/// its messages may mix two generations, so the reader throws them away and dumps again. The
/// kernel's answers are a real run's recording with the flag added; no root needed.
/// </summary>
public sealed class DumpInterruptedTests
{
    [Fact]
    public void A_rule_dump_that_ends_with_DUMP_INTR_is_read_again_and_every_rule_is_reported_once()
    {
        using var kernel = new FakeKernel(KernelConversation.Load(GoldenConversations.IptablesNftIPv4.File));
        int dumps = 0;
        kernel.OnNetlink(request => request.IsRuleDumpOf("POSTROUTING") && ++dumps == 1 ? Interrupted(kernel.Replayed(request)!) : null);

        var rules = Read(kernel);

        Assert.Equal(2, dumps);
        Assert.Equal(3, rules.Count);
        Assert.Equal(rules.Count, rules.Select(r => r.Handle).Distinct().Count());
        Assert.Equal(2, rules.Count(r => r.Chain == "POSTROUTING"));
    }

    [Fact]
    public void A_rule_dump_interrupted_every_time_gives_up_after_nine_reads_with_a_sentence()
    {
        using var kernel = new FakeKernel(KernelConversation.Load(GoldenConversations.IptablesNftIPv4.File));
        int dumps = 0;
        kernel.OnNetlink(request => request.IsRuleDumpOf("POSTROUTING") && ++dumps > 0 ? Interrupted(kernel.Replayed(request)!) : null);

        var error = Assert.ThrowsAny<SnatToolsException>(() => Read(kernel));

        Assert.Equal(9, dumps);
        Assert.Equal(ErrorIds.NetlinkError, error.ErrorId);
        Assert.Contains("changed during 9 consecutive reads of chain ip nat POSTROUTING", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_list_that_ends_with_DUMP_INTR_is_dumped_again_and_each_table_listed_once()
    {
        using var kernel = new FakeKernel(KernelConversation.Load(GoldenConversations.NftIPv4.File));
        int dumps = 0;
        kernel.OnNetlink(request => request.Is(NftMessage.GetTable) && ++dumps == 1 ? Interrupted(kernel.Replayed(request)!) : null);
        using var nft = NftReader.Open(kernel.NamespaceName, kernel);

        var tables = nft.ListTables();

        Assert.Equal(2, dumps);
        Assert.Equal("natx", Assert.Single(tables).Name);
    }

    [Fact]
    public void A_table_list_interrupted_every_time_fails_with_EINTR_after_nine_dumps()
    {
        using var kernel = new FakeKernel(KernelConversation.Load(GoldenConversations.NftIPv4.File));
        int dumps = 0;
        kernel.OnNetlink(request => request.Is(NftMessage.GetTable) && ++dumps > 0 ? Interrupted(kernel.Replayed(request)!) : null);
        using var nft = NftReader.Open(kernel.NamespaceName, kernel);

        var error = Assert.Throws<NetlinkException>(() => nft.ListTables());

        Assert.Equal(9, dumps);
        Assert.Equal(Errno.EINTR, error.Errno);
        Assert.Contains("changed during 9 consecutive dumps", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The same replies with NLM_F_DUMP_INTR on the last datagram (the kernel flags the message being built when it notices, and NLMSG_DONE).</summary>
    private static List<byte[]> Interrupted(List<byte[]> replies) =>
        [.. replies.SkipLast(1), KernelReplies.WithFlags(replies[^1], NetlinkFlags.DumpInterrupted)];

    private static List<SnatRule> Read(FakeKernel kernel) =>
        new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = kernel.NamespaceName }, dialer: kernel).Read().ToList();
}
