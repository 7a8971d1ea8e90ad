using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Rules;

/// <summary>
/// The proof after a repair that nothing but the NAT flag changed: the rule as the kernel holds it
/// afterwards against the rule as it was read, with the flag changed. Counters may differ (traffic);
/// an anonymous set a lookup uses is a fresh copy with a new name. Everything else must be the same
/// bytes: a match's kernel-private tail is zeroed in every dump, so what was dumped, sent back and
/// dumped again compares equal (docs/guide/architecture.md, "Bytes that go back").
/// </summary>
internal static class RuleReadBack
{
    /// <summary>Null when <paramref name="readBack"/> is <paramref name="expected"/> apart from counters and anonymous set names; else what differs.</summary>
    public static string? NftDifference(IReadOnlyList<Expression> expected, byte[]? expectedUserData, NftRule readBack)
    {
        if (!(expectedUserData ?? []).AsSpan().SequenceEqual(readBack.UserData ?? []))
        {
            return "its user data (comment) differs";
        }

        if (expected.Count != readBack.Expressions.Count)
        {
            return $"it has {readBack.Expressions.Count} expressions instead of {expected.Count}";
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var (sent, back) = (expected[i], readBack.Expressions[i]);
            bool same = (sent, back) switch
            {
                _ when sent.Name != back.Name => false,

                (LookupExpression a, LookupExpression b) => a.SourceRegister == b.SourceRegister && a.DestinationRegister == b.DestinationRegister
                    && (a.Flags ?? 0) == (b.Flags ?? 0) && (a.SetName == b.SetName || (a.SetId is not null && b.SetName.StartsWith("__", StringComparison.Ordinal))),
                (UnknownExpression { Name: "objref" }, _) when NftSendBack.SameObjrefApartFromCopiedSet(sent, back) => true,
                _ => NftSendBack.SameConfiguration(sent, back), // state (counter, quota consumed, last) may move; the rest is the same bytes
            };
            if (!same)
            {
                return $"expression {i + 1} ({sent.Name}) reads back as {back} instead of {sent}";
            }
        }

        return null;
    }

    /// <summary>
    /// The offsets of the entries of <paramref name="readBack"/> (the table dumped after the replace)
    /// that differ from <paramref name="sent"/> (the entries given to the replace) other than in
    /// their counters; every entry when the two do not even have the same size.
    /// </summary>
    public static List<int> LegacyDifferences(LegacyTableLayout layout, byte[] sent, byte[] readBack)
    {
        var differing = new List<int>();
        for (int offset = 0; offset < sent.Length;)
        {
            var entry = LegacyEntry.Decode(layout, sent, offset);
            if (offset + entry.Length > readBack.Length)
            {
                differing.Add(offset);
            }
            else
            {
                var back = LegacyEntry.Decode(layout, readBack, offset);
                if (back.Length != entry.Length || !back.BytesWithoutCounters(layout, readBack).AsSpan().SequenceEqual(entry.BytesWithoutCounters(layout, sent)))
                {
                    differing.Add(offset);
                }
            }

            offset += Math.Max(entry.Length, 1);
        }

        if (readBack.Length != sent.Length && differing.Count == 0)
        {
            differing.Add(sent.Length);
        }

        return differing;
    }

}
