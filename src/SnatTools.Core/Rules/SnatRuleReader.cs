using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Printing;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Rules;

/// <summary>
/// Finds every source-NAT rule of a namespace, from nf_tables (native and iptables-nft) and from
/// iptables-legacy, streaming them as they are found.
/// <para>
/// nf_tables: by default only chains a nat base chain on postrouting or input can reach are read
/// (the only hooks where the kernel runs source NAT): the base chains come from the chain list,
/// then jump/goto verdicts and verdict maps are followed and each chain's rules are fetched with a
/// per-chain dump. Rules are only decoded when a cheap scan says they perform source NAT. When a
/// verdict map or a jump target cannot be resolved, the rest of the table is read too (Reachable =
/// null) rather than miss a rule. With <see cref="SnatRuleQuery.AllChains"/> every other chain is
/// read as well (Reachable = false).
/// </para>
/// <para>
/// iptables-legacy: the nat table blob (if the namespace has one) is read whole and walked the
/// same way from its POSTROUTING and INPUT chains.
/// </para>
/// </summary>
public sealed class SnatRuleReader
{
    private const int MaxGenerationRetries = 8;
    private const string LegacyNatTable = "nat";

    private readonly SnatRuleQuery _query;
    private readonly Action<string>? _warning;
    private readonly Action<SnatRuleProgress>? _progress;
    private readonly IKernelDialer _dialer;
    private readonly List<string> _nftNatTables = [];
    private readonly List<string> _legacyNatTables = [];

    /// <param name="dialer">How to reach the kernel: the real one unless a test records or scripts it.</param>
    public SnatRuleReader(SnatRuleQuery query, Action<string>? warning = null, Action<SnatRuleProgress>? progress = null, IKernelDialer? dialer = null)
    {
        _dialer = dialer ?? KernelDialer.Live;
        _query = query;
        _warning = warning;
        _progress = progress;
    }

    /// <summary>
    /// The rules, streamed. Memory stays proportional to the rules returned (and the chain names
    /// of one table with -AllChains), not to the size of the ruleset.
    /// </summary>
    public IEnumerable<SnatRule> Read()
    {
        // Resolve the namespace first so a missing one fails before anything else.
        _dialer.CheckNamespace(_query.NetworkNamespace);
        bool readNft = _query.WantsBackend(SnatBackend.Nftables) || _query.WantsBackend(SnatBackend.IptablesNft);
        bool readLegacy = _query.WantsBackend(SnatBackend.IptablesLegacy);
        IpSetNames? ipsets = null;
        bool ipsetsTried = false;
        string? SetName(ushort index)
        {
            if (!ipsetsTried)
            {
                ipsetsTried = true;
                ipsets = IpSetNames.TryOpen(_query.NetworkNamespace, _dialer);
            }

            return ipsets?.NameOf(index);
        }

        try
        {
            if (readNft)
            {
                foreach (var rule in ReadNftables(SetName))
                {
                    yield return rule;
                }
            }

            if (readLegacy)
            {
                foreach (var rule in ReadLegacy(SetName))
                {
                    yield return rule;
                }
            }
        }
        finally
        {
            ipsets?.Dispose();
        }

        if (readNft && readLegacy && _nftNatTables.Count > 0 && _legacyNatTables.Count > 0)
        {
            _warning?.Invoke(
                $"{ErrorIds.BackendMismatch}: NAT rules are installed through both iptables-legacy (x_tables: {string.Join(", ", _legacyNatTables)}) " +
                $"and nf_tables ({string.Join(", ", _nftNatTables)}). The kernel runs both, but iptables-nft and nft show only the nf_tables ones " +
                "and iptables-legacy only the x_tables ones: rules that seem to be missing, or seem to do nothing, are usually in the other backend.");
        }
    }

    private IEnumerable<SnatRule> ReadNftables(Func<ushort, string?> setNames)
    {
        using var nft = NftReader.Open(_query.NetworkNamespace, _dialer);
        uint generation;
        List<NftTable> tables;
        try
        {
            generation = nft.GetGeneration();
            tables = nft.ListTables();
        }
        catch (NetlinkException ex) when (ex.Errno == Errno.EOPNOTSUPP)
        {
            yield break; // a kernel without nf_tables: nothing to read there, legacy may still have rules
        }

        foreach (var table in tables)
        {
            var family = table.Family switch
            {
                NfProto.IPv4 => SnatFamily.IPv4,
                NfProto.IPv6 => SnatFamily.IPv6,
                NfProto.Inet => SnatFamily.Inet,
                _ => (SnatFamily?)null,
            };
            if (family is null || !_query.WantsFamily(family.Value) || (_query.Table is not null && _query.Table != table.Name))
            {
                continue;
            }

            IReadOnlyList<NftChain> chains = _query.AllChains
                ? nft.ListChains(table, baseOnly: false)
                : NftBaseChainCache.BaseChains(nft, table, generation);
            if (chains.Any(c => c.IsBase && c.Type == "nat"))
            {
                _nftNatTables.Add($"table {table.FamilyName} {table.Name}");
            }

            var roots = chains.Where(c => c.IsSourceNatRoot).Select(c => c.Name).ToList();
            if (roots.Count == 0 && !_query.AllChains)
            {
                continue;
            }

            var visited = new HashSet<string>(roots, StringComparer.Ordinal);
            var queue = new Queue<string>(roots);
            bool unresolved = false;
            while (queue.Count > 0)
            {
                string chain = queue.Dequeue();
                var read = ReadChain(nft, table, chain, ref generation);
                if (read is null)
                {
                    unresolved = true; // a jump to a chain that is gone: the ruleset moved under us
                    continue;
                }

                foreach (string target in read.Jumps)
                {
                    if (visited.Add(target))
                    {
                        queue.Enqueue(target);
                    }
                }

                foreach (string map in read.VerdictMaps)
                {
                    var targets = VerdictMapTargets(nft, table, map);
                    if (targets is null)
                    {
                        unresolved = true;
                        continue;
                    }

                    foreach (string target in targets)
                    {
                        if (visited.Add(target))
                        {
                            queue.Enqueue(target);
                        }
                    }
                }

                foreach (var rule in Emit(nft, table, chain, read, reachable: true, generation, setNames))
                {
                    yield return rule;
                }
            }

            if (!_query.AllChains && !unresolved)
            {
                continue;
            }

            var rest = (_query.AllChains ? chains : nft.ListChains(table, baseOnly: false))
                .Select(c => c.Name).Where(name => !visited.Contains(name)).ToList();
            for (int i = 0; i < rest.Count; i++)
            {
                if (i % 256 == 0)
                {
                    _progress?.Invoke(new SnatRuleProgress($"Reading chains of table {table.FamilyName} {table.Name}", i, rest.Count));
                }

                var read = ReadChain(nft, table, rest[i], ref generation);
                if (read is null)
                {
                    continue;
                }

                foreach (var rule in Emit(nft, table, rest[i], read, reachable: unresolved ? null : false, generation, setNames))
                {
                    yield return rule;
                }
            }

            _progress?.Invoke(new SnatRuleProgress($"Reading chains of table {table.FamilyName} {table.Name}", rest.Count, rest.Count));
        }
    }

    private IEnumerable<SnatRule> Emit(NftReader nft, NftTable table, string chain, ChainRead read, bool? reachable, uint generation, Func<ushort, string?> setNames)
    {
        if (_query.Chain is not null && _query.Chain != chain)
        {
            yield break;
        }

        NftSetContents? Sets(string name)
        {
            try
            {
                return new NftSetContents(nft.GetSet(table.Family, table.Name, name), nft.GetSetElements(table.Family, table.Name, name));
            }
            catch (NetlinkException)
            {
                return null;
            }
        }

        var built = new List<SnatRule>(read.Candidates.Count);
        foreach (var (rule, position, error) in read.Candidates)
        {
            SnatRule snat;
            try
            {
                snat = rule is null
                    ? SnatRuleFactory.FromUndecodableNftRule(table, chain, position, reachable, read.Generation, _query.NetworkNamespace, null, error!)
                    : SnatRuleFactory.FromNftRule(rule, position, reachable, read.Generation, _query.NetworkNamespace, Sets, setNames);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Each rule is decoded on its own: what fails here becomes this rule's unknown part, never the others'.
                snat = SnatRuleFactory.FromUndecodableNftRule(table, chain, position, reachable, read.Generation, _query.NetworkNamespace, rule, ex);
            }

            WarnIfUndecodable(snat, $"rule {position} of chain {table.FamilyName} {table.Name} {chain}");

            // A message that could not be read at all may be native or iptables-nft: listed under either, never lost.
            if (rule is null || _query.WantsBackend(snat.Backend))
            {
                built.Add(snat);
            }
        }

        UseNftText(table, chain, built);
        foreach (var snat in built)
        {
            yield return snat;
        }
    }

    /// <summary>One warning per rule that failed as a whole (its unknown part says why), on every backend alike.</summary>
    private void WarnIfUndecodable(SnatRule snat, string where)
    {
        if (snat.Unknown.FirstOrDefault(u => u.Name == SnatRuleFactory.UndecodableName) is { } failure)
        {
            _warning?.Invoke($"{ErrorIds.RuleNotDecodable}: {where} could not be read: {failure.Reason}");
        }
    }

    /// <summary>
    /// Native rules the printer could not print in full take their text from libnftables: one
    /// `list chain` for the chain, only when it has such a rule (docs/guide/architecture.md).
    /// </summary>
    private void UseNftText(NftTable table, string chain, List<SnatRule> rules)
    {
        if (!rules.Any(NeedsNftText) || LibNftables.ListChain(_query.NetworkNamespace, table.FamilyName, table.Name, chain) is not { } lines)
        {
            return;
        }

        foreach (var rule in rules)
        {
            if (NeedsNftText(rule) && rule.Handle is { } handle && lines.TryGetValue(handle, out var text))
            {
                rule.UseNftText(text);
            }
        }
    }

    private static bool NeedsNftText(SnatRule rule) => rule.Backend == SnatBackend.Nftables && !rule.Decoded;

    /// <summary>
    /// Reads one chain: the source-NAT rules (decoded, with their position), and where the chain
    /// can jump. Null when the chain does not exist. If the generation moves during the dump,
    /// the chain is read again with the new generation.
    /// </summary>
    private static ChainRead? ReadChain(NftReader nft, NftTable table, string chain, ref uint generation)
    {
        for (int attempt = 0; ; attempt++)
        {
            var read = new ChainRead(generation);
            ushort expected = (ushort)generation;
            bool moved = false;
            bool interrupted;
            try
            {
                interrupted = nft.DumpChainRules(table.Family, table.Name, chain, (in NetlinkMessage message) =>
                {
                    read.Count++;
                    moved |= message.NfGenMsg.ResourceId != expected;
                    try
                    {
                        if (NftRuleScan.Scan(message, read.Jumps, read.VerdictMaps))
                        {
                            read.Candidates.Add((NftRule.Decode(message), read.Count, null));
                        }
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // One malformed rule message must not hide the chain's other rules; it may perform NAT, so it is listed.
                        read.Candidates.Add((null, read.Count, ex));
                    }
                });
            }
            catch (NetlinkException ex) when (ex.Errno == Errno.ENOENT)
            {
                return null;
            }

            if (!interrupted && !moved)
            {
                return read;
            }

            generation = nft.GetGeneration();
            if (attempt == MaxGenerationRetries)
            {
                throw new SnatToolsException(ErrorIds.NetlinkError, ErrorKind.ResourceBusy,
                    $"The nf_tables ruleset changed during {MaxGenerationRetries + 1} consecutive reads of chain {table.FamilyName} {table.Name} {chain}; try again.", chain);
            }
        }
    }

    private static IEnumerable<string>? VerdictMapTargets(NftReader nft, NftTable table, string map)
    {
        try
        {
            return nft.GetSetElements(table.Family, table.Name, map)
                .Select(e => e.Data?.Verdict)
                .Where(v => v is { IsJumpOrGoto: true, Chain: not null })
                .Select(v => v!.Chain!)
                .ToList();
        }
        catch (NetlinkException)
        {
            return null;
        }
    }

    private IEnumerable<SnatRule> ReadLegacy(Func<ushort, string?> setNames)
    {
        if (_query.Table is not null && _query.Table != LegacyNatTable)
        {
            yield break;
        }

        foreach (var layout in (LegacyTableLayout[])[LegacyTableLayout.IPv4, LegacyTableLayout.IPv6])
        {
            if (!_query.WantsFamily(layout.IsIPv6 ? SnatFamily.IPv6 : SnatFamily.IPv4))
            {
                continue;
            }

            var table = LegacyTableReader.TryRead(layout, LegacyNatTable, _query.NetworkNamespace, _dialer);
            if (table is null)
            {
                continue;
            }

            string tableName = $"{(layout.IsIPv6 ? "ip6tables" : "iptables")} {LegacyNatTable}";
            var chains = LegacyTableParser.Parse(table, out var chainAtOffset, out string? truncated);
            if (truncated is not null)
            {
                _warning?.Invoke($"{ErrorIds.RuleNotDecodable}: the iptables-legacy table {tableName} could not be read to its end ({truncated}); only the rules before that point are listed.");
            }

            if (chains.Any(c => c.Rules.Count > 0))
            {
                _legacyNatTables.Add(tableName);
            }

            var reachable = Reachable(chains, chainAtOffset);
            string digest = table.Digest();
            foreach (var chain in chains)
            {
                bool isReachable = reachable.Contains(chain.Name);
                if ((!isReachable && !_query.AllChains) || (_query.Chain is not null && _query.Chain != chain.Name))
                {
                    continue;
                }

                for (int i = 0; i < chain.Rules.Count; i++)
                {
                    var entry = chain.Rules[i];
                    if (entry.TargetName is not (XtNatTarget.Masquerade or XtNatTarget.Snat))
                    {
                        continue;
                    }

                    SnatRule snat;
                    try
                    {
                        snat = entry.Error is { } error
                            ? SnatRuleFactory.FromUndecodableLegacyEntry(table, chain.Name, i + 1, entry, isReachable, _query.NetworkNamespace, error)
                            : SnatRuleFactory.FromLegacyEntry(table, chain.Name, i + 1, entry, isReachable, digest, _query.NetworkNamespace, setNames);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // Each rule is decoded on its own: what fails here becomes this rule's unknown part, never the others'.
                        snat = SnatRuleFactory.FromUndecodableLegacyEntry(table, chain.Name, i + 1, entry, isReachable, _query.NetworkNamespace, ex);
                    }

                    WarnIfUndecodable(snat, $"rule {i + 1} of chain {tableName} {chain.Name}");
                    yield return snat;
                }
            }
        }
    }

    /// <summary>Chains reachable from the POSTROUTING and INPUT hooks through jump/goto verdicts.</summary>
    private static HashSet<string> Reachable(IReadOnlyList<LegacyChain> chains, IReadOnlyDictionary<int, string> chainAtOffset)
    {
        var byName = chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(chains.Where(c => c.Hook is NfInetHook.PostRouting or NfInetHook.LocalIn).Select(c => c.Name));
        while (stack.Count > 0)
        {
            string name = stack.Pop();
            if (!reachable.Add(name) || !byName.TryGetValue(name, out var chain))
            {
                continue;
            }

            foreach (var entry in chain.Rules)
            {
                if (entry.Verdict is >= 0 and var offset && offset != entry.Offset + entry.Length && chainAtOffset.TryGetValue(offset, out var target))
                {
                    stack.Push(target);
                }
            }
        }

        return reachable;
    }

    private sealed class ChainRead(uint generation)
    {
        public uint Generation { get; } = generation;

        public int Count { get; set; }

        public List<(NftRule? Rule, int Position, Exception? Error)> Candidates { get; } = [];

        public HashSet<string> Jumps { get; } = new(StringComparer.Ordinal);

        public HashSet<string> VerdictMaps { get; } = new(StringComparer.Ordinal);
    }
}
