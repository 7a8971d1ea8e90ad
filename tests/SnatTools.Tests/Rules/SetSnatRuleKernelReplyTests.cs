using SnatTools.Core;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;
using SnatTools.Tests.Fakes;

namespace SnatTools.Tests.Rules;

/// <summary>
/// What Set-SnatRule does with each answer the kernel can give a repair: a generation that moves
/// (the batch refused and retried, until the retries run out), a message refused with EBUSY,
/// ENOENT or EINVAL, no CAP_NET_ADMIN (EPERM), a rule deleted meanwhile; and on iptables-legacy a
/// table gone or a replace refused. The rules are read from a real run's recording; the kernel's
/// answers to the repair are scripted. No root needed.
/// </summary>
public sealed class SetSnatRuleKernelReplyTests
{
    private const int Rules = 3; // in GoldenConversations.IptablesNftIPv4: two in POSTROUTING, one in SNAT-CHAIN

    [Fact]
    public void When_the_generation_moves_before_the_batch_arrives_the_kernel_refuses_it_and_the_rules_are_read_again_and_written()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        int batches = 0;
        kernel.OnNetlink(request => request.IsBatch && ++batches == 1 ? KernelReplies.BatchRefused(request, Errno.ERESTART) : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        Assert.All(changes, c => Assert.Equal(SnatRuleOutcome.Changed, c.Outcome));
        Assert.All(changes, c => Assert.Equal(1, c.GenerationRetries));
        var sent = kernel.SentBatches.ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].Normalized(), sent[1].Normalized()); // nothing else moved in the recording: the same batch again
        Assert.Equal(2 * Rules, kernel.Sent.OfType<NetlinkCall>().Count(c => c.Datagram.IsRuleLookup(out _)));
    }

    [Fact]
    public void When_the_generation_keeps_moving_every_rule_fails_with_RuleChanged_after_sixteen_refused_batches()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        kernel.OnNetlink(request => request.IsBatch ? KernelReplies.BatchRefused(request, Errno.ERESTART) : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        Assert.Equal(Rules, changes.Count);
        Assert.All(changes, c =>
        {
            Assert.Equal(SnatRuleOutcome.Failed, c.Outcome);
            Assert.Equal(NftRuleRewriter.MaxAttempts, c.GenerationRetries);
            Assert.Equal(ErrorIds.RuleChanged, c.Error!.ErrorId);
            Assert.Equal(ErrorKind.ResourceBusy, c.Error.Kind);
            Assert.Contains($"changed {NftRuleRewriter.MaxAttempts} times", c.Error.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", c.Error.Message, StringComparison.Ordinal);
        });
        var batches = kernel.SentBatches.ToList();
        Assert.Equal(NftRuleRewriter.MaxAttempts, batches.Count);
        Assert.All(batches, b => Assert.NotNull(b.BatchGeneration));
    }

    [Fact]
    public void When_the_generation_moves_while_the_rules_are_read_no_batch_is_sent_until_two_reads_agree()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        const uint Base = 1000;
        uint reads = 0;
        kernel.OnNetlink(request =>
        {
            if (request.IsGenerationLookup())
            {
                // 1000, 1001 | 1002, 1003 | 1003, 1003: the third attempt reads one generation twice.
                return KernelReplies.Generation(request.Messages[0], Base + Math.Min(reads++, 3));
            }

            return request.IsBatch ? KernelReplies.BatchAcks(request)
                : request.IsSyncGeneration() ? KernelReplies.Generation(request.Messages[0], Base + 4)
                : null;
        });

        var changes = Writer(kernel).Apply(rules).ToList();

        Assert.All(changes, c => Assert.Equal((SnatRuleOutcome.Changed, 2), (c.Outcome, c.GenerationRetries)));
        var batch = Assert.Single(kernel.SentBatches);
        Assert.Equal(Base + 3, batch.BatchGeneration);
    }

    [Theory]
    [InlineData(Errno.EBUSY, ErrorKind.ResourceBusy, "chain is bound")]
    [InlineData(Errno.ENOENT, ErrorKind.ObjectNotFound, "rule not found")]
    [InlineData(Errno.EINVAL, ErrorKind.InvalidArgument, "unsupported expression")]
    public void A_message_the_kernel_refuses_fails_its_rule_with_the_errno_and_the_kernel_s_reason_and_the_others_go_again(int errno, ErrorKind kind, string reason)
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        kernel.OnNetlink(request => request.IsBatch ? KernelReplies.BatchAcks(request, failAt: 2, errno, reason) : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        // This kernel refuses the second message of every batch: each batch fails the rule that
        // message carries, the next goes without it, and the last rule, alone in its batch, is written.
        Assert.Equal(Rules, changes.Count);
        Assert.Equal(SnatRuleOutcome.Changed, Assert.Single(changes, c => c.Outcome != SnatRuleOutcome.Failed).Outcome);
        Assert.All(changes.Where(c => c.Outcome == SnatRuleOutcome.Failed), c =>
        {
            Assert.Equal(0, c.GenerationRetries);
            var error = Assert.IsType<NetlinkException>(c.Error);
            Assert.Equal((ErrorIds.NetlinkError, kind, errno), (error.ErrorId, error.Kind, error.Errno));
            Assert.Equal(reason, error.ExtendedMessage);
            Assert.Contains($"(message 2 of ", error.Message, StringComparison.Ordinal);
            Assert.Contains($"failed: {Errno.Name(errno)}", error.Message, StringComparison.Ordinal);
        });

        Assert.Equal(Rules, kernel.SentBatches.Count());
    }

    [Fact]
    public void Without_cap_net_admin_the_kernel_refuses_every_request_and_the_repair_stops_with_PermissionDenied()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        // nfnetlink_rcv checks CAP_NET_ADMIN before anything else and acks the first message with EPERM.
        kernel.OnNetlink(request => [KernelReplies.Ack(request.Messages[0], Errno.EPERM)]);

        var error = Assert.ThrowsAny<SnatToolsException>(() => Writer(kernel).Apply(rules).ToList());

        Assert.Equal((ErrorIds.PermissionDenied, ErrorKind.PermissionDenied), (error.ErrorId, error.Kind));
        Assert.Contains("CAP_NET_ADMIN", error.Message, StringComparison.Ordinal);
        Assert.Empty(kernel.SentBatches);
    }

    [Fact]
    public void Without_cap_net_admin_reading_the_rules_stops_with_PermissionDenied()
    {
        using var kernel = new FakeKernel().OnNetlink(request => [KernelReplies.Ack(request.Messages[0], Errno.EPERM)]);

        var error = Assert.ThrowsAny<SnatToolsException>(() => new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = kernel.NamespaceName }, dialer: kernel).Read().ToList());

        Assert.Equal(ErrorIds.PermissionDenied, error.ErrorId);
    }

    [Fact]
    public void A_batch_refused_as_a_whole_with_EPERM_stops_with_PermissionDenied_and_is_not_retried()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        kernel.OnNetlink(request => request.IsBatch ? KernelReplies.BatchRefused(request, Errno.EPERM) : null);

        var error = Assert.ThrowsAny<SnatToolsException>(() => Writer(kernel).Apply(rules).ToList());

        Assert.Equal(ErrorIds.PermissionDenied, error.ErrorId);
        Assert.Single(kernel.SentBatches);
    }

    [Fact]
    public void A_rule_deleted_since_it_was_read_is_RuleChanged_and_the_other_rules_are_still_repaired_in_one_batch()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        ulong gone = rules[0].Handle!.Value;
        kernel.OnNetlink(request =>
            request.IsRuleLookup(out ulong handle) && handle == gone ? [KernelReplies.Ack(request.Messages[0], Errno.ENOENT, "rule not found")]
            : request.IsBatch ? KernelReplies.BatchAcks(request)
            : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        var deleted = changes.Single(c => c.Rule.Handle == gone);
        Assert.Equal((SnatRuleOutcome.Failed, ErrorIds.RuleChanged), (deleted.Outcome, deleted.Error!.ErrorId));
        Assert.Contains("is no longer in the kernel", deleted.Error.Message, StringComparison.Ordinal);
        Assert.All(changes.Where(c => c != deleted), c => Assert.Equal(SnatRuleOutcome.Changed, c.Outcome));
        var batch = Assert.Single(kernel.SentBatches);
        Assert.Equal(Rules - 1, batch.Messages.Count(m => m.Type == NftMessage.Type(NftMessage.NewRule)));
    }

    [Fact]
    public void A_batch_whose_replies_are_lost_says_the_outcome_is_unknown_instead_of_reporting_success()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        // The kernel dropped the ACK of the last message (a receive buffer overrun it could not report).
        kernel.OnNetlink(request => request.IsBatch ? KernelReplies.BatchAcks(request).SkipLast(1) : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        Assert.All(changes, c =>
        {
            Assert.Equal(SnatRuleOutcome.Failed, c.Outcome);
            Assert.Equal(ErrorIds.NetlinkDecodeError, c.Error!.ErrorId);
            Assert.Contains($"answered {Rules - 1} of the batch's {Rules} messages", c.Error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_batch_whose_replies_overflowed_the_receive_buffer_says_the_outcome_is_unknown()
    {
        var (kernel, rules) = IptablesNft();
        using var cleanup = kernel;
        kernel.OnNetlink(request => request.IsBatch ? [.. KernelReplies.BatchAcks(request).Take(1), KernelReplies.Overrun] : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        Assert.All(changes, c =>
        {
            Assert.Equal(SnatRuleOutcome.Failed, c.Outcome);
            var error = Assert.IsType<NetlinkException>(c.Error);
            Assert.Equal(Errno.ENOBUFS, error.Errno);
            Assert.Contains("not known whether the batch was applied", error.Message, StringComparison.Ordinal);
            Assert.Contains("read the rules again", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void An_iptables_legacy_table_gone_since_it_was_read_is_RuleChanged_and_nothing_is_written()
    {
        var (kernel, rules) = Legacy();
        using var cleanup = kernel;
        kernel.OnXtables(call => call is { Operation: XtablesOperation.GetOption, Option: LegacyTableLayout.SoGetInfo } ? (Errno.ENOENT, Array.Empty<byte>()) : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        Assert.All(changes, c =>
        {
            Assert.Equal((SnatRuleOutcome.Failed, ErrorIds.RuleChanged), (c.Outcome, c.Error!.ErrorId));
            Assert.Contains("no longer exists", c.Error.Message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(kernel.Sent.OfType<XtablesCall>(), c => c.Operation is XtablesOperation.Replace or XtablesOperation.SetOption);
    }

    [Fact]
    public void An_iptables_legacy_replace_refused_with_EPERM_stops_with_PermissionDenied_and_adds_no_counters()
    {
        var (kernel, rules) = Legacy();
        using var cleanup = kernel;
        kernel.OnXtables(call => call.Operation == XtablesOperation.Replace ? (Errno.EPERM, Array.Empty<byte>()) : null);

        var error = Assert.ThrowsAny<SnatToolsException>(() => Writer(kernel).Apply(rules).ToList());

        Assert.Equal(ErrorIds.PermissionDenied, error.ErrorId);
        Assert.Contains("IPT_SO_SET_REPLACE nat", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(kernel.Sent.OfType<XtablesCall>(), c => c.Operation == XtablesOperation.SetOption);
    }

    [Fact]
    public void An_iptables_legacy_replace_refused_with_EAGAIN_fails_every_rule_of_the_table_with_the_errno()
    {
        var (kernel, rules) = Legacy();
        using var cleanup = kernel;
        // xt_replace_table answers EAGAIN when num_counters no longer matches the table.
        kernel.OnXtables(call => call.Operation == XtablesOperation.Replace ? (Errno.EAGAIN, Array.Empty<byte>()) : null);

        var changes = Writer(kernel).Apply(rules).ToList();

        Assert.All(changes, c =>
        {
            Assert.Equal(SnatRuleOutcome.Failed, c.Outcome);
            var error = Assert.IsType<NetlinkException>(c.Error);
            Assert.Equal((ErrorIds.NetlinkError, Errno.EAGAIN), (error.ErrorId, error.Errno));
            Assert.StartsWith("IPT_SO_SET_REPLACE nat failed: EAGAIN", error.Message, StringComparison.Ordinal);
        });
    }

    private static SnatRuleWriter Writer(FakeKernel kernel) => new(GoldenConversations.RandomFully) { Dialer = kernel };

    private static (FakeKernel Kernel, List<SnatRule> Rules) IptablesNft() => Read(GoldenConversations.IptablesNftIPv4, SnatBackend.IptablesNft);

    private static (FakeKernel Kernel, List<SnatRule> Rules) Legacy() => Read(GoldenConversations.LegacyIPv4, SnatBackend.IptablesLegacy);

    /// <summary>A kernel answering from a real run's recording (as often as asked), and the rules Get-SnatRule read from it.</summary>
    private static (FakeKernel Kernel, List<SnatRule> Rules) Read(GoldenConversations.Case golden, SnatBackend backend)
    {
        var kernel = new FakeKernel(KernelConversation.Load(golden.File));
        var rules = new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = kernel.NamespaceName }, dialer: kernel).Read().ToList();
        Assert.Equal(Rules, rules.Count);
        Assert.All(rules, r => Assert.Equal(backend, r.Backend));
        kernel.Sent.Clear();
        return (kernel, rules);
    }
}
