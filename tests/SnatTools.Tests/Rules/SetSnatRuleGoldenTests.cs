using System.Buffers.Binary;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;
using SnatTools.Tests.Fakes;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>
/// The exact bytes Set-SnatRule sends, for each backend and family, checked without root against
/// conversations recorded from real runs (TestData/set-snat-rule-*.hex); and, as root, that those
/// recordings are still what the real kernel is sent and accepts.
/// </summary>
public sealed class SetSnatRuleGoldenTests
{
    public static TheoryData<string> Files => GoldenConversations.Files;

    [Theory]
    [MemberData(nameof(Files))]
    public void Set_SnatRule_sends_the_recorded_requests_byte_for_byte(string file)
    {
        using var kernel = new FakeKernel(KernelConversation.Load(file), strict: true);

        var (rules, changes) = GoldenConversations.SetRandomFully(kernel, kernel.NamespaceName);

        Assert.NotEmpty(rules);
        Assert.All(changes, c => Assert.True(c.Outcome == SnatRuleOutcome.Changed, $"{c.Rule.Text}: {c.Outcome} {c.Error?.Message}"));
        kernel.AssertReplayedAll();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void An_nf_tables_repair_is_one_batch_carrying_the_generation_it_read(string file)
    {
        var recording = KernelConversation.Load(file);
        using var kernel = new FakeKernel(recording, strict: true);

        var (rules, _) = GoldenConversations.SetRandomFully(kernel, kernel.NamespaceName);

        var batches = kernel.SentBatches.ToList();
        if (rules.All(r => r.Backend == SnatBackend.IptablesLegacy))
        {
            Assert.Empty(batches);
            return;
        }

        var batch = Assert.Single(batches);
        uint generation = kernel.Sent.OfType<NetlinkCall>().First(c => c.Datagram.IsGenerationLookup()).AnsweredGeneration();
        Assert.Equal(generation, batch.BatchGeneration);
        var newRules = batch.Messages.Where(m => m.Type == NftMessage.Type(NftMessage.NewRule)).ToList();
        Assert.Equal(rules.Count, newRules.Count);
        Assert.All(newRules, m => Assert.Equal(NetlinkFlags.Request | NetlinkFlags.Ack | NetlinkFlags.Replace | NetlinkFlags.Echo, m.Flags));
        Assert.Equal(rules.Select(r => r.Handle!.Value).Order(), newRules.Select(Handle).Order());
        Assert.Equal(batch.Sequences.Count, batch.Sequences.Distinct().Count());
        Assert.Equal(batch.Bytes.Length, Assert.Single(kernel.Reservations).Send);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void An_iptables_legacy_repair_is_one_table_replace_then_the_old_counters_added_back(string file)
    {
        using var kernel = new FakeKernel(KernelConversation.Load(file), strict: true);

        var (rules, _) = GoldenConversations.SetRandomFully(kernel, kernel.NamespaceName);

        var writes = kernel.Sent.OfType<XtablesCall>().Where(c => c.Operation is XtablesOperation.Replace or XtablesOperation.SetOption).ToList();
        if (!rules.Any(r => r.Backend == SnatBackend.IptablesLegacy))
        {
            Assert.Empty(writes);
            return;
        }

        Assert.Equal([XtablesOperation.Replace, XtablesOperation.SetOption], writes.Select(w => w.Operation));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(writes[0].Input.AsSpan(88))); // the transport points it at the counters
        Assert.Equal(writes[0].Output, writes[1].Input.AsSpan(40).ToArray());                  // ADD_COUNTERS hands back what REPLACE returned
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Each_recording_still_matches_what_the_real_kernel_is_sent(string file)
    {
        Root.Require();
        var golden = GoldenConversations.ByFile(file);
        using var ns = new TestNamespace("golden");

        var live = GoldenConversations.Record(golden, ns);

        if (Environment.GetEnvironmentVariable("SNATTOOLS_RECAPTURE") is { Length: > 0 } folder)
        {
            live.Save(Path.Combine(folder, file));
            return;
        }

        var recorded = KernelConversation.Load(file);
        Assert.Equal(recorded.Calls.Count, live.Calls.Count);
        for (int i = 0; i < recorded.Calls.Count; i++)
        {
            switch ((recorded.Calls[i], live.Calls[i]))
            {
                case (NetlinkCall want, NetlinkCall got):
                    Assert.True(NetlinkDiff.Explain(want.Request, got.Request) is null,
                        $"request {i + 1} differs from the recording (re-record with SNATTOOLS_RECAPTURE if the kernel or the module changed on purpose):\n{NetlinkDiff.Explain(want.Request, got.Request)}");
                    break;
                case (XtablesCall want, XtablesCall got):
                    Assert.True(want.Matches(got), $"x_tables call {i + 1}: recorded {want}, sent {got}");
                    break;
                default:
                    Assert.Fail($"call {i + 1}: recorded {recorded.Calls[i].GetType().Name}, made {live.Calls[i].GetType().Name}");
                    break;
            }
        }
    }

    private static ulong Handle(RawNetlinkMessage newRule) =>
        BinaryPrimitives.ReadUInt64BigEndian(newRule.Attributes.Single(a => a.RawType == NftaRule.Handle).Value);
}
