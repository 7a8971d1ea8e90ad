using System.Buffers.Binary;
using SnatTools.Core;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;
using SnatTools.Tests.Fakes;
using SnatTools.Tests.Rules;

namespace SnatTools.Tests.Audit;

/// <summary>
/// What the audit's rule checks read (Get-SnatRule's reader) when one rule message of a chain
/// cannot be decoded: a real run's recording (GoldenConversations.NftIPv4: three rules in
/// ip natx post, none with fully-random) replayed by the fake kernel, with one rule's expression
/// list made malformed. The broken rule must still come back lacking the flag (so the audit names
/// it), with Action Unknown, a RuleNotDecodable warning, and the others exactly as before.
/// No root needed.
/// </summary>
public sealed class UndecodableRuleAuditTests
{
    private static readonly string[] Texts =
    [
        "oifname != \"lo\" masquerade",
        "ip saddr 198.18.0.0/16 tcp dport { 80, 443 } masquerade comment \"web\"",
        "ip saddr 198.19.1.0/24 snat to 198.19.0.1-198.19.0.5",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_rule_message_that_cannot_be_decoded_is_listed_as_lacking_the_flag_and_the_others_read_as_usual(int broken)
    {
        using var kernel = new FakeKernel(KernelConversation.Load(GoldenConversations.NftIPv4.File));
        kernel.OnNetlink(request => request.IsRuleDumpOf("post") ? kernel.Replayed(request)!.Select(d => WithMalformedRule(d, broken)).ToList() : null);
        var warnings = new List<string>();

        var rules = new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = kernel.NamespaceName }, warnings.Add, dialer: kernel).Read().ToList();

        Assert.Equal([1, 2, 3], rules.Select(r => r.Position));
        var bad = rules[broken - 1];
        // What the audit's "every reachable MASQUERADE/SNAT rule sets random-fully" selects and names.
        Assert.True(bad.Reachable);
        // Its expressions could not be read, so its NAT statement was not seen: unknown, never a guess.
        Assert.Equal(SnatAction.Unknown, bad.Action);
        Assert.False(bad.NatDecoded);
        Assert.False(bad.RandomFully);
        Assert.False(bad.Decoded);
        Assert.Equal(("natx", "post", kernel.NamespaceName), (bad.Table, bad.Chain, bad.NetworkNamespace));
        Assert.Contains("unknown", bad.Text, StringComparison.Ordinal);
        Assert.Contains(bad.Unknown, u => u.Name == SnatRuleFactory.UndecodableName);
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"{ErrorIds.RuleNotDecodable}: rule {broken} of chain ip natx post", warning, StringComparison.Ordinal);

        for (int i = 0; i < rules.Count; i++)
        {
            if (i != broken - 1)
            {
                Assert.True(rules[i].Decoded, rules[i].Text);
                Assert.Equal(Texts[i], rules[i].Text);
                Assert.False(rules[i].RandomFully);
            }
        }
    }

    /// <summary>
    /// The datagram with the <paramref name="ordinal"/>-th NEWRULE message's expression list
    /// broken: its first expression claims more bytes than the list holds. Message and outer
    /// attribute lengths stay right, so only that rule is malformed.
    /// </summary>
    internal static byte[] WithMalformedRule(byte[] datagram, int ordinal)
    {
        var copy = (byte[])datagram.Clone();
        int seen = 0;
        for (int offset = 0; offset + NetlinkMessage.HeaderLength <= copy.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(offset));
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(offset + 4));
            if (length < NetlinkMessage.HeaderLength)
            {
                break;
            }

            if (type == NftMessage.Type(NftMessage.NewRule) && ++seen == ordinal)
            {
                for (int at = offset + NetlinkMessage.HeaderLength + NfGenMsg.Length; at + NetlinkAttribute.HeaderLength <= offset + length;)
                {
                    int attributeLength = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at));
                    if ((BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at + 2)) & NetlinkAttribute.TypeMask) == NftaRule.Expressions)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + NetlinkAttribute.HeaderLength), (ushort)(attributeLength + 64));
                        return copy;
                    }

                    at += NetlinkAlign.Align(attributeLength);
                }
            }

            offset += NetlinkAlign.Align(length);
        }

        return copy;
    }
}
