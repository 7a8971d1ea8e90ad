using SnatTools.Core.Netlink;

namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// Splits a legacy blob into chains the way libiptc does: built-in chains run from their hook
/// entry to their underflow (the policy entry, not a rule); a user chain starts after an ERROR
/// entry naming it and ends before its closing RETURN entry; the final ERROR entry ends the table.
/// </summary>
public static class LegacyTableParser
{
    private static readonly string[] HookNames = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

    public static IReadOnlyList<LegacyChain> Parse(LegacyTable table, out IReadOnlyDictionary<int, string> chainAtOffset) =>
        Parse(table, out chainAtOffset, out _);

    /// <param name="truncated">
    /// Why the table could not be read to its end (an entry whose offsets do not add up, so no
    /// later entry can be found), or null. The chains and rules before that entry are returned.
    /// </param>
    public static IReadOnlyList<LegacyChain> Parse(LegacyTable table, out IReadOnlyDictionary<int, string> chainAtOffset, out string? truncated)
    {
        truncated = null;
        var entries = new List<LegacyEntry>();
        for (int offset = 0; offset < table.Blob.Length;)
        {
            LegacyEntry entry;
            try
            {
                entry = LegacyEntry.Decode(table.Layout, table.Blob, offset);
            }
            catch (NetlinkDecodeException ex)
            {
                truncated = ex.Message;
                break;
            }

            entries.Add(entry);
            offset += entry.Length;
        }

        var builtinStart = new Dictionary<int, uint>();
        var underflows = new HashSet<int>();
        for (uint hook = 0; hook < 5; hook++)
        {
            if ((table.ValidHooks & (1u << (int)hook)) != 0)
            {
                builtinStart[(int)table.HookEntry[(int)hook]] = hook;
                underflows.Add((int)table.Underflow[(int)hook]);
            }
        }

        var chains = new List<LegacyChain>();
        var offsets = new Dictionary<int, string>();
        string? current = null;
        uint? currentHook = null;
        List<LegacyEntry>? rules = null;

        void Close()
        {
            if (current is not null)
            {
                chains.Add(new LegacyChain(current, currentHook, rules!));
            }

            current = null;
            rules = null;
        }

        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (builtinStart.TryGetValue(entry.Offset, out uint hook))
            {
                Close();
                current = HookNames[hook];
                currentHook = hook;
                rules = [];
                offsets[entry.Offset] = current;
            }

            if (entry.ErrorName is { } errorName)
            {
                Close();
                if (errorName == LegacyEntry.ErrorTarget && i == entries.Count - 1)
                {
                    break;
                }

                current = errorName;
                currentHook = null;
                rules = [];
                offsets[entry.Offset] = current;
                if (i + 1 < entries.Count)
                {
                    offsets[entries[i + 1].Offset] = current;
                }

                continue;
            }

            if (current is null)
            {
                continue;
            }

            bool isPolicy = currentHook is not null && underflows.Contains(entry.Offset);
            bool isUserChainEnd = currentHook is null && entry.Verdict == LegacyEntry.VerdictReturn
                                  && i + 1 < entries.Count && (entries[i + 1].ErrorName is not null || builtinStart.ContainsKey(entries[i + 1].Offset))
                                  && entry.Rule.Matches.Count == 0 && IsUnconditional(entry);
            if (isPolicy || isUserChainEnd)
            {
                Close();
                continue;
            }

            rules!.Add(entry);
        }

        Close();
        foreach (var entry in chains.SelectMany(c => c.Rules))
        {
            NameStandardTarget(entry, offsets);
        }

        chainAtOffset = offsets;
        return chains;
    }

    /// <summary>What iptables prints after -j for the standard target: ACCEPT, DROP, RETURN, or the chain a jump lands in.</summary>
    private static void NameStandardTarget(LegacyEntry entry, Dictionary<int, string> offsets)
    {
        if (entry.Verdict is not { } verdict)
        {
            return;
        }

        entry.Rule.Jump = verdict switch
        {
            -2 => "ACCEPT", // -NF_ACCEPT - 1
            -1 => "DROP",   // -NF_DROP - 1
            -4 => "QUEUE",  // -NF_QUEUE - 1
            LegacyEntry.VerdictReturn => "RETURN",
            >= 0 when verdict == entry.Offset + entry.Length => null, // fall through: a rule without a target
            >= 0 => offsets.GetValueOrDefault(verdict),
            _ => null,
        };
    }

    private static bool IsUnconditional(LegacyEntry entry)
    {
        var rule = entry.Rule;
        return rule.Protocol == 0 && rule.InInterface.Length == 0 && rule.OutInterface.Length == 0
               && !rule.SourceInverted && !rule.DestinationInverted
               && rule.SourceMask.GetAddressBytes().All(b => b == 0) && rule.DestinationMask.GetAddressBytes().All(b => b == 0);
    }
}
