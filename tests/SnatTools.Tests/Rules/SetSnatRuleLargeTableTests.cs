using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using SnatTools.Core.Linux;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;
using SnatTools.Tests.Fakes;
using SnatTools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Set-SnatRule on tables far larger than one netlink datagram's default limit (a Kubernetes node
/// with thousands of masquerade rules): every table is still changed in one transaction, and the
/// generation check still guards it. Timings go to the test output.
/// </summary>
public sealed class SetSnatRuleLargeTableTests(ITestOutputHelper output)
{
    private const int Rules = 5000;

    [SkippableFact]
    public void Five_thousand_iptables_nft_and_five_thousand_nft_rules_are_all_repaired_by_one_call()
    {
        Root.Require();
        using var ns = new TestNamespace("setbig");
        LiveRules.IptablesRestore(ns, IptablesNftTable(Rules));
        LiveRules.NftLoad(ns, NftTable(Rules));
        var before = RulesetSnapshot.Take(ns);
        using var host = new PowerShellHost();

        var read = Stopwatch.StartNew();
        var (rules, readErrors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns", new Dictionary<string, object?> { ["ns"] = ns.Name });
        read.Stop();
        Assert.Empty(readErrors);
        Assert.Equal(2 * Rules, rules.Count);

        var write = Stopwatch.StartNew();
        var (_, errors) = host.Invoke("$rules | Set-SnatRule -RandomFully", new Dictionary<string, object?> { ["rules"] = rules });
        write.Stop();

        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(3).Select(e => e.ToString())));
        var added = RulesetSnapshot.AssertOnlyRandomFullyAdded(before, RulesetSnapshot.Take(ns));
        Assert.Equal(Rules, added["iptables-nft-save"]);
        Assert.Equal(Rules, added["nft"] - Rules); // nft list ruleset shows the iptables-nft rules too
        Assert.All(LiveRules.Read(ns, allChains: false), r => Assert.True(r.RandomFully, r.Text));
        output.WriteLine($"Get-SnatRule read {2 * Rules} rules in {read.ElapsedMilliseconds} ms; Set-SnatRule -RandomFully repaired them in {write.ElapsedMilliseconds} ms (two tables, one transaction each).");
    }

    [SkippableFact]
    public void A_concurrent_commit_during_a_five_thousand_rule_repair_refuses_the_whole_batch_and_the_retry_applies_all_of_it()
    {
        Root.Require();
        using var ns = new TestNamespace("setbiggen");
        LiveRules.IptablesRestore(ns, IptablesNftTable(Rules));
        LiveRules.NftLoad(ns, NftTable(Rules));
        LiveRules.NftLoad(ns, "table ip other {\n\tchain churn {\n\t}\n}\n");
        var before = RulesetSnapshot.Take(ns);
        var rules = LiveRules.Read(ns, allChains: false);
        var recorder = new RecordingDialer(KernelDialer.Live);
        int commits = 0;
        RulesetSnapshot? beforeRefusal = null;
        var writer = new SnatRuleWriter(GoldenConversations.RandomFully)
        {
            Dialer = recorder,
            BeforeNftCommit = () =>
            {
                if (++commits % 2 == 1)
                {
                    // Another writer commits twice (net effect nothing) after the rules were read.
                    beforeRefusal = RulesetSnapshot.Take(ns);
                    ns.Exec("nft", "add", "rule", "ip", "other", "churn", "counter");
                    ns.Exec("nft", "flush", "chain", "ip", "other", "churn");
                }
                else
                {
                    // The refused batch of 5,000 rules applied nothing at all.
                    Assert.Equal(beforeRefusal!.Texts, RulesetSnapshot.Take(ns).Texts);
                }
            },
        };

        var clock = Stopwatch.StartNew();
        var changes = writer.Apply(rules).ToList();
        clock.Stop();

        Assert.Equal(4, commits);
        Assert.Equal(2 * Rules, changes.Count);
        Assert.All(changes, c => Assert.Equal((SnatRuleOutcome.Changed, 1), (c.Outcome, c.GenerationRetries)));
        var added = RulesetSnapshot.AssertOnlyRandomFullyAdded(before, RulesetSnapshot.Take(ns));
        Assert.Equal(Rules, added["iptables-nft-save"]);

        var batches = recorder.Conversation.NetlinkCalls.Where(c => c.Datagram.IsBatch).ToList();
        Assert.Equal(4, batches.Count);
        foreach (var pair in batches.Chunk(2))
        {
            var (refused, applied) = (pair[0].Datagram, pair[1].Datagram);
            Assert.All([refused, applied], b => Assert.Equal(Rules, b.Messages.Count(m => m.Type == NftMessage.Type(NftMessage.NewRule))));
            Assert.True(applied.BatchGeneration > refused.BatchGeneration);
            var refusal = new NetlinkDatagram(Assert.Single(pair[0].Replies)).Messages.Single();
            Assert.Equal(refused.Messages[0].Sequence, refusal.Sequence); // one ERESTART, pointing at BATCH_BEGIN
            Assert.Equal(Rules, pair[1].Replies.Count(r => new NetlinkDatagram(r).Messages[0].Type == Core.Netlink.NetlinkMessageType.Error));
        }

        output.WriteLine($"{2 * Rules} rules in two tables repaired with one generation retry each in {clock.ElapsedMilliseconds} ms; " +
                         $"batches of {string.Join(", ", batches.Select(b => $"{b.Request.Length:N0} bytes"))}; receive buffer asked: {string.Join(", ", recorder.Reservations.Select(r => $"{r.Receive:N0}"))} bytes.");
    }

    [SkippableFact]
    public void Five_thousand_iptables_legacy_rules_are_repaired_by_one_table_replace()
    {
        Root.Require();
        using var ns = new TestNamespace("setbigleg");
        LiveRules.IptablesRestore(ns, IptablesNftTable(Rules), "iptables-legacy-restore");
        var before = RulesetSnapshot.Take(ns);
        using var host = new PowerShellHost();
        var (rules, readErrors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns -Backend IptablesLegacy", new Dictionary<string, object?> { ["ns"] = ns.Name });
        Assert.Empty(readErrors);
        Assert.Equal(Rules, rules.Count);

        var write = Stopwatch.StartNew();
        var (_, errors) = host.Invoke("$rules | Set-SnatRule -RandomFully", new Dictionary<string, object?> { ["rules"] = rules });
        write.Stop();

        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(3).Select(e => e.ToString())));
        var added = RulesetSnapshot.AssertOnlyRandomFullyAdded(before, RulesetSnapshot.Take(ns));
        Assert.Equal(Rules, added["iptables-legacy-save"]);
        output.WriteLine($"Set-SnatRule -RandomFully repaired {Rules} iptables-legacy rules in {write.ElapsedMilliseconds} ms (one IPT_SO_SET_REPLACE of a {TableBytes(ns):N0}-byte table).");
    }

    [Fact]
    public void A_five_thousand_rule_repair_is_sent_as_one_datagram_from_BATCH_BEGIN_to_END_with_one_generation()
    {
        // The kernel's answers: a real run's recording, whose first POSTROUTING rule
        // (-s 198.18.0.0/16 ! -o docker0 -j MASQUERADE) is cloned 5,000 times with handles 1000-5999.
        var recording = KernelConversation.Load(GoldenConversations.IptablesNftIPv4.File);
        var dump = recording.NetlinkCalls.First(c => c.Datagram.IsRuleDumpOf("POSTROUTING"));
        var template = dump.Replies.SelectMany(r => new NetlinkDatagram(r).Messages).First(m => m.Type == NftMessage.Type(NftMessage.NewRule));
        var done = dump.Replies[^1];
        var clones = Enumerable.Range(1000, Rules).ToDictionary(h => (ulong)h, h => KernelReplies.WithAttribute(template.Bytes, NftaRule.Handle, Be64((ulong)h)));
        using var kernel = new FakeKernel(recording);
        kernel.OnNetlink(request =>
        {
            var sequence = new Dictionary<uint, uint> { [template.Sequence] = request.Messages[0].Sequence };
            if (request.IsRuleDumpOf("POSTROUTING"))
            {
                return clones.Values.Chunk(16).Select(KernelReplies.Datagram).Append(done).Select(d => KernelReplies.WithSequences(d, sequence));
            }

            return request.IsRuleLookup(out ulong handle) ? [KernelReplies.WithSequences(clones[handle], sequence), KernelReplies.Ack(request.Messages[0])]
                : request.IsBatch ? KernelReplies.BatchAcks(request)
                : null;
        });

        var (rules, changes) = GoldenConversations.SetRandomFully(kernel, kernel.NamespaceName);

        Assert.Equal(Rules, rules.Count);
        Assert.All(changes, c => Assert.Equal(SnatRuleOutcome.Changed, c.Outcome));
        var batch = Assert.Single(kernel.SentBatches);
        Assert.Equal(Rules + 2, batch.Messages.Count);
        Assert.Equal(Rules, batch.Messages.Count(m => m.Type == NftMessage.Type(NftMessage.NewRule)));
        Assert.Equal(kernel.Sent.OfType<NetlinkCall>().Where(c => c.Datagram.IsGenerationLookup()).Skip(1).First().AnsweredGeneration(), batch.BatchGeneration);
        Assert.Equal(clones.Keys.Order(), batch.Messages.Where(m => m.Type == NftMessage.Type(NftMessage.NewRule))
            .Select(m => BinaryPrimitives.ReadUInt64BigEndian(m.Attributes.Single(a => a.RawType == NftaRule.Handle).Value)).Order());
        int pages = Assert.Single(kernel.GatheredSends);
        Assert.True(pages > 1, "a batch this size is sent from several pages");
        var (send, receive) = Assert.Single(kernel.Reservations);
        Assert.Equal(batch.Bytes.Length, send);
        Assert.True(receive >= Rules * 1024, $"receive buffer asked for {receive} bytes");
        output.WriteLine($"One batch of {Rules} NEWRULE messages: {batch.Bytes.Length:N0} bytes from {pages} pages; receive buffer asked: {receive:N0} bytes.");
    }

    private static byte[] Be64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>The legacy nat table's size in bytes (IPT_SO_GET_INFO size), for the timing line.</summary>
    private static int TableBytes(TestNamespace ns) =>
        Core.IptablesLegacy.LegacyTableReader.TryRead(Core.IptablesLegacy.LegacyTableLayout.IPv4, "nat", ns.Name)?.Blob.Length ?? 0;

    /// <summary>An iptables-nft-restore input: <paramref name="count"/> MASQUERADE rules in POSTROUTING, one source address each.</summary>
    internal static string IptablesNftTable(int count)
    {
        var text = new StringBuilder("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"-A POSTROUTING -s 198.18.{i / 256}.{i % 256}/32 -j MASQUERADE\n");
        }

        return text.Append("COMMIT\n").ToString();
    }

    /// <summary>An nft -f input: table ip natx with <paramref name="count"/> masquerade rules in one base chain.</summary>
    internal static string NftTable(int count)
    {
        var text = new StringBuilder("table ip natx {\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\t\tip saddr 198.19.{i / 256}.{i % 256} masquerade\n");
        }

        return text.Append("\t}\n}\n").ToString();
    }
}
