using System.Buffers.Binary;
using System.Text;
using CsCheck;
using SnatTools.Core;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Rules;
using SnatTools.Core.Xtables;
using SnatTools.Tests.Audit;
using SnatTools.Tests.Fakes;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Each rule is decoded on its own on the x_tables side too: real recordings (GoldenConversations
/// LegacyIPv4 / IptablesNftIPv4: MASQUERADE, MASQUERADE --random, and an SNAT in SNAT-CHAIN)
/// replayed by the fake kernel with one NAT rule broken, in turn the first, second and third. The
/// broken rule comes back marked unknown with one RuleNotDecodable warning; the others come back
/// with exactly the text iptables-save prints. No root needed.
/// </summary>
public sealed class RuleIsolationTests
{
    /// <summary>The recorded rulesets' NAT rules, as iptables-save prints them.</summary>
    private static readonly string[] Texts =
    [
        "-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE",
        "-A POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random",
        "-A SNAT-CHAIN -s 198.18.1.0/24 -p tcp -m tcp --dport 80 -j SNAT --to-source 198.19.0.1-198.19.0.5:1000-2000 --persistent",
    ];

    private static readonly SnatAction[] Actions = [SnatAction.Masquerade, SnatAction.Masquerade, SnatAction.Snat];

    [Fact]
    public void The_recordings_read_back_as_iptables_save_prints_them()
    {
        Assert.Equal(Texts, ReadLegacy(null, out var legacyWarnings).Select(r => r.Text));
        Assert.Empty(legacyWarnings);
        Assert.Equal(Texts, ReadIptablesNft(0, out var nftWarnings).Select(r => r.Text));
        Assert.Empty(nftWarnings);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_legacy_entry_whose_contents_do_not_decode_is_unknown_and_the_other_rules_read_as_usual(int broken)
    {
        var rules = ReadLegacy(blob => BreakTargetSize(blob, broken), out var warnings);

        Assert.Equal(3, rules.Count);
        var bad = rules[broken - 1];
        Assert.False(bad.Decoded);
        Assert.False(bad.NatDecoded);
        Assert.False(bad.RandomFully);
        Assert.Equal(SnatBackend.IptablesLegacy, bad.Backend);
        // The target name sits in the entry's frame, which held: the action was seen.
        Assert.Equal(Actions[broken - 1], bad.Action);
        Assert.Contains(SnatRuleFactory.UndecodableText, bad.Text, StringComparison.Ordinal);
        Assert.StartsWith($"-A {Texts[broken - 1].Split(' ')[1]} ", bad.Text, StringComparison.Ordinal);
        Assert.Contains(bad.Unknown, u => u.Name == SnatRuleFactory.UndecodableName);
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"{ErrorIds.RuleNotDecodable}: rule {bad.Position} of chain iptables nat {bad.Chain} could not be read", warning, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.RuleNotDecodable, new SnatRuleWriter(GoldenConversations.RandomFully).Refusal(bad)?.ErrorId);
        Assert.Equal($"namespace {bad.NetworkNamespace}, IptablesLegacy, table nat, chain {bad.Chain}, position {bad.Position}", SnatRuleWriter.Location(bad));
        AssertOthersExact(rules, broken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_legacy_entry_whose_offsets_do_not_add_up_ends_the_table_with_one_warning_and_the_rules_before_it(int broken)
    {
        var rules = ReadLegacy(blob => BreakNextOffset(blob, broken), out var warnings);

        Assert.Equal(Texts[..(broken - 1)], rules.Select(r => r.Text));
        Assert.All(rules, r => Assert.True(r.Decoded, r.Text));
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"{ErrorIds.RuleNotDecodable}: the iptables-legacy table iptables nat could not be read to its end", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void An_iptables_nft_rule_message_that_cannot_be_decoded_is_unknown_and_the_other_rules_read_as_usual(int broken)
    {
        var rules = ReadIptablesNft(broken, out var warnings);

        Assert.Equal(3, rules.Count);
        var bad = rules[broken - 1];
        Assert.False(bad.Decoded);
        Assert.False(bad.NatDecoded);
        Assert.Equal(SnatAction.Unknown, bad.Action);
        Assert.Equal(SnatRuleFactory.UndecodableText, bad.Text);
        Assert.Equal(Texts[broken - 1].Split(' ')[1], bad.Chain);
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"{ErrorIds.RuleNotDecodable}: rule {bad.Position} of chain ip nat {bad.Chain} could not be read", warning, StringComparison.Ordinal);
        AssertOthersExact(rules, broken);
    }

    [Fact]
    public void An_nf_tables_rule_that_fails_as_a_whole_keeps_the_action_of_the_nat_expression_or_target_it_was_seen_to_hold()
    {
        var table = new NftTable(NfProto.IPv4, "nat", 1, 0, 0);
        NftRule Rule(params Expression[] expressions) => new(NfProto.IPv4, "nat", "POSTROUTING", 7, null, expressions, null, 1);
        var error = new InvalidDataException("injected");
        var masquerade = new TargetExpression(XtNatTarget.Masquerade, 0, XtNatTarget.Create(XtNatTarget.Masquerade, 0, XtNatLayout.MultiRangeCompat, new NatRange(NatRangeFlags.None, null, null, 0, 0), false).Encode());

        Assert.Equal(SnatAction.Masquerade, SnatRuleFactory.FromUndecodableNftRule(table, "POSTROUTING", 1, true, 1, null, Rule(masquerade), error).Action);
        Assert.Equal(SnatBackend.IptablesNft, SnatRuleFactory.FromUndecodableNftRule(table, "POSTROUTING", 1, true, 1, null, Rule(masquerade), error).Backend);
        Assert.Equal(SnatAction.Unknown, SnatRuleFactory.FromUndecodableNftRule(table, "POSTROUTING", 1, true, 1, null, Rule(), error).Action);
        Assert.Equal(SnatAction.Unknown, SnatRuleFactory.FromUndecodableNftRule(table, "POSTROUTING", 1, true, 1, null, null, error).Action);
    }

    [Fact]
    public void Any_damage_to_a_legacy_table_lists_each_nat_rule_decoded_or_unknown_and_never_throws()
    {
        var writes = Gen.Select(Gen.Int[0, 2000], Gen.Byte).Array[1, 6];
        int unknown = 0, truncated = 0;
        writes.Sample(damage =>
        {
            var rules = ReadLegacy(blob =>
            {
                foreach (var (at, value) in damage)
                {
                    blob[at % blob.Length] = value;
                }

                return blob;
            }, out var warnings);

            Assert.All(warnings, w => Assert.StartsWith($"{ErrorIds.RuleNotDecodable}: ", w, StringComparison.Ordinal));
            Assert.Equal(
                rules.Count(r => r.Unknown.Any(u => u.Name == SnatRuleFactory.UndecodableName)),
                warnings.Count(w => w.Contains(" could not be read: ", StringComparison.Ordinal)));
            Assert.True(warnings.Count(w => w.Contains("could not be read to its end", StringComparison.Ordinal)) <= 1);
            Interlocked.Add(ref unknown, rules.Count(r => !r.Decoded));
            Interlocked.Add(ref truncated, warnings.Count(w => w.Contains("could not be read to its end", StringComparison.Ordinal)));
            foreach (var rule in rules)
            {
                Assert.StartsWith($"-A {rule.Chain} ", rule.Text, StringComparison.Ordinal);
                Assert.True(rule.Action is SnatAction.Masquerade or SnatAction.Snat);
                Assert.True(rule.NatDecoded || !rule.Decoded, rule.Text);
            }
        }, iter: 2_000);

        // The property reached both ways a table can be damaged (else it proves nothing).
        Assert.True(unknown > 0 && truncated > 0, $"unknown {unknown}, truncated {truncated}");
    }

    [Fact]
    public void Any_damage_inside_an_iptables_nft_rule_expressions_lists_the_other_rules_exactly_and_never_throws()
    {
        var recording = KernelConversation.Load(GoldenConversations.IptablesNftIPv4.File);
        var damage = Gen.Select(Gen.Int[1, 2], Gen.Select(Gen.Int[0, 1000], Gen.Byte).Array[1, 4]);
        int undecodable = 0;
        damage.Sample(t =>
        {
            var (ordinal, writes) = t;
            using var kernel = new FakeKernel(recording);
            kernel.OnNetlink(request => request.IsRuleDumpOf("POSTROUTING")
                ? kernel.Replayed(request)!.Select(d => WithDamagedExpressions(d, ordinal, writes)).ToList()
                : null);
            var warnings = new List<string>();
            var query = new SnatRuleQuery { NetworkNamespace = kernel.NamespaceName, Backend = SnatBackend.IptablesNft, Family = SnatFamily.IPv4 };

            var rules = new SnatRuleReader(query, warnings.Add, dialer: kernel).Read().ToList();

            // The damaged rule may read as another rule, as unknown, or (no longer NAT) not at all; the others exactly.
            Assert.True(rules.Count is 2 or 3, string.Join("\n", rules.Select(r => $"{r.Position} {r.Action} {r.Reachable} {r.Text}").Concat(warnings)));
            Assert.Equal(Texts[2 - ordinal], rules.Single(r => r.Chain == "POSTROUTING" && r.Position == 3 - ordinal).Text);
            Assert.True(Texts[2] == rules[^1].Text, string.Join("\n", rules.Select(r => $"{r.Position} {r.Action} {r.Reachable} {r.Text}").Concat(warnings)));
            Assert.All(warnings, w => Assert.StartsWith($"{ErrorIds.RuleNotDecodable}: ", w, StringComparison.Ordinal));
            Assert.Equal(rules.Count(r => r.Unknown.Any(u => u.Name == SnatRuleFactory.UndecodableName)), warnings.Count);
            Interlocked.Add(ref undecodable, warnings.Count);
        }, iter: 1_000);

        Assert.True(undecodable > 0, "no damaged rule failed as a whole: the property proves nothing");
    }

    /// <summary>Bytes written inside the <paramref name="ordinal"/>-th NEWRULE message's expression list; every length around it stays right.</summary>
    private static byte[] WithDamagedExpressions(byte[] datagram, int ordinal, (int At, byte Value)[] writes)
    {
        var copy = (byte[])datagram.Clone();
        int seen = 0;
        for (int offset = 0; offset + NetlinkMessage.HeaderLength <= copy.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(offset));
            if (length < NetlinkMessage.HeaderLength)
            {
                break;
            }

            if (BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(offset + 4)) == NftMessage.Type(NftMessage.NewRule) && ++seen == ordinal)
            {
                for (int at = offset + NetlinkMessage.HeaderLength + NfGenMsg.Length; at + NetlinkAttribute.HeaderLength <= offset + length;)
                {
                    int attributeLength = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at));
                    if ((BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at + 2)) & NetlinkAttribute.TypeMask) == NftaRule.Expressions)
                    {
                        int payload = attributeLength - NetlinkAttribute.HeaderLength;
                        foreach (var (where, value) in writes)
                        {
                            copy[at + NetlinkAttribute.HeaderLength + (where % payload)] = value;
                        }

                        return copy;
                    }

                    at += NetlinkAlign.Align(attributeLength);
                }
            }

            offset += NetlinkAlign.Align(length);
        }

        return copy;
    }

    private static void AssertOthersExact(List<SnatRule> rules, int broken)
    {
        for (int i = 0; i < rules.Count; i++)
        {
            if (i != broken - 1)
            {
                Assert.True(rules[i].Decoded, rules[i].Text);
                Assert.Equal(Texts[i], rules[i].Text);
                Assert.Equal(Actions[i], rules[i].Action);
            }
        }
    }

    [Fact]
    public void Reading_back_a_change_passes_over_a_rule_of_the_same_table_that_could_not_be_read()
    {
        using var kernel = LegacyKernel(blob => BreakTargetSize(blob, 1));
        var rules = ReadLegacyFrom(kernel, out _);
        var change = new SnatRuleChange(rules[1], SnatRuleOutcome.Changed, NatRangeFlags.None, NatRangeFlags.None);

        var back = Assert.Single(SnatRuleWriter.ReadBack([change], kernel));

        Assert.Equal(Texts[1], back.Text);
    }

    private static List<SnatRule> ReadLegacy(Func<byte[], byte[]>? corrupt, out List<string> warnings)
    {
        using var kernel = LegacyKernel(corrupt);
        return ReadLegacyFrom(kernel, out warnings);
    }

    private static FakeKernel LegacyKernel(Func<byte[], byte[]>? corrupt)
    {
        var recording = KernelConversation.Load(GoldenConversations.LegacyIPv4.File);
        var kernel = new FakeKernel(recording);
        kernel.OnXtables(call => call.Operation == XtablesOperation.GetOption && call.Option == LegacyTableLayout.SoGetEntries && !call.IsIPv6 && corrupt is not null
            ? Corrupted(recording, call, corrupt)
            : null);
        return kernel;
    }

    private static List<SnatRule> ReadLegacyFrom(FakeKernel kernel, out List<string> warnings)
    {
        var found = new List<string>();
        warnings = found;
        var query = new SnatRuleQuery { NetworkNamespace = kernel.NamespaceName, Backend = SnatBackend.IptablesLegacy, Family = SnatFamily.IPv4, AllChains = true };
        return new SnatRuleReader(query, found.Add, dialer: kernel).Read().ToList();
    }

    private static List<SnatRule> ReadIptablesNft(int broken, out List<string> warnings)
    {
        using var kernel = new FakeKernel(KernelConversation.Load(GoldenConversations.IptablesNftIPv4.File));
        // The NAT rules are POSTROUTING's first and second and SNAT-CHAIN's first.
        var (chain, ordinal) = broken switch { 1 => ("POSTROUTING", 1), 2 => ("POSTROUTING", 2), 3 => ("SNAT-CHAIN", 1), _ => (null, 0) };
        kernel.OnNetlink(request => chain is not null && request.IsRuleDumpOf(chain)
            ? kernel.Replayed(request)!.Select(d => UndecodableRuleAuditTests.WithMalformedRule(d, ordinal)).ToList()
            : null);
        var found = new List<string>();
        warnings = found;
        var query = new SnatRuleQuery { NetworkNamespace = kernel.NamespaceName, Backend = SnatBackend.IptablesNft, Family = SnatFamily.IPv4 };
        return new SnatRuleReader(query, found.Add, dialer: kernel).Read().ToList();
    }

    private static (int Errno, byte[] Output) Corrupted(KernelConversation recording, XtablesCall call, Func<byte[], byte[]> corrupt)
    {
        var recorded = recording.XtablesCalls.First(c => c.Operation == call.Operation && c.Option == call.Option && c.IsIPv6 == call.IsIPv6 && c.Input.AsSpan().SequenceEqual(call.Input));
        var output = (byte[])recorded.Output.Clone();
        var entries = corrupt(output.AsSpan(LegacyTableLayout.GetEntriesHeader).ToArray());
        entries.CopyTo(output, LegacyTableLayout.GetEntriesHeader);
        return (recorded.Errno, output);
    }

    /// <summary>The <paramref name="ordinal"/>-th MASQUERADE/SNAT entry's target claims more bytes than its entry holds: its frame stays sound.</summary>
    private static byte[] BreakTargetSize(byte[] blob, int ordinal)
    {
        var (offset, targetOffset, _) = NatEntries(blob).ElementAt(ordinal - 1);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(offset + targetOffset), ushort.MaxValue);
        return blob;
    }

    /// <summary>The <paramref name="ordinal"/>-th MASQUERADE/SNAT entry's next offset runs past the table: no later entry can be found.</summary>
    private static byte[] BreakNextOffset(byte[] blob, int ordinal)
    {
        var (offset, _, _) = NatEntries(blob).ElementAt(ordinal - 1);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(offset + LegacyTableLayout.IPv4.NextOffsetField), ushort.MaxValue);
        return blob;
    }

    private static IEnumerable<(int Offset, int TargetOffset, string Target)> NatEntries(byte[] blob)
    {
        var layout = LegacyTableLayout.IPv4;
        for (int offset = 0; offset < blob.Length;)
        {
            int targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(offset + layout.TargetOffsetField));
            int next = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(offset + layout.NextOffsetField));
            string target = Encoding.ASCII.GetString(blob.AsSpan(offset + targetOffset + 2, LegacyTableLayout.ExtensionNameLength)).TrimEnd('\0');
            if (target is XtNatTarget.Masquerade or XtNatTarget.Snat)
            {
                yield return (offset, targetOffset, target);
            }

            offset += next;
        }
    }
}
