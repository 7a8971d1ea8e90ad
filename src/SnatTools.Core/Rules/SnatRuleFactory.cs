using System.Globalization;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Nftables.Printing;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Rules;

/// <summary>Builds <see cref="SnatRule"/> objects from decoded kernel rules of each backend.</summary>
public static class SnatRuleFactory
{
    /// <summary>
    /// An nf_tables rule that performs source NAT: iptables-nft (an x_tables MASQUERADE/SNAT
    /// target; text as iptables-save prints it) or native (masq / nat snat; text as nft prints it).
    /// </summary>
    public static SnatRule FromNftRule(
        NftRule rule,
        int position,
        bool? reachable,
        uint generation,
        string? networkNamespace,
        Func<string, NftSetContents?>? sets,
        Func<ushort, string?>? setNames)
    {
        var unknown = rule.Expressions.OfType<UnknownExpression>()
            .Select(e => new UnknownPart(e.Name, e.Reason, Convert.ToHexString(e.Raw.Span).ToLowerInvariant()))
            .ToList();
        var family = rule.Family switch
        {
            NfProto.IPv6 => SnatFamily.IPv6,
            NfProto.Inet => SnatFamily.Inet,
            _ => SnatFamily.IPv4,
        };
        var target = rule.Expressions.OfType<TargetExpression>().LastOrDefault(t => t.Extension is XtNatTarget.Masquerade or XtNatTarget.Snat);
        var locator = new NftRuleLocator(rule.Family, rule.Table, rule.Chain, rule.Handle, generation, rule);

        if (target is not null && rule.Family is NfProto.IPv4 or NfProto.IPv6)
        {
            var parsed = IptablesNftParser.Parse(rule);
            unknown = rule.Expressions.OfType<UnknownExpression>().Where(e => !parsed.NativeMatchExpressions.Contains(e))
                .Select(e => new UnknownPart(e.Name, e.Reason, Convert.ToHexString(e.Raw.Span).ToLowerInvariant()))
                .ToList();
            unknown.AddRange(parsed.Problems.Select(p => new UnknownPart("iptables", p, string.Empty)));
            return FromIptablesRule(
                parsed, SnatBackend.IptablesNft, rule.Table, rule.Chain, rule.Handle, position,
                masquerade: target.Extension == XtNatTarget.Masquerade, unknown, reachable, generation, networkNamespace, setNames,
                locator with { Compat = new NftRuleCompat(parsed.Protocol, parsed.ProtocolInverted) });
        }

        var analysis = NftRuleAnalyser.Analyse(rule, Remembered(sets));
        var printed = NftRulePrinter.Print(analysis);
        unknown.AddRange(analysis.Problems.Concat(printed.Problems).Select(p => new UnknownPart("nft", p, string.Empty)));
        var range = analysis.NatRange;
        string? outInterface = analysis.OutInterface is { } oif ? NftValueText.Interface(oif) : null;
        // Named sets only: anonymous ones ("__set0") name nothing of their writer.
        var namedSets = rule.Expressions.OfType<LookupExpression>().Select(l => l.SetName).Where(n => !n.StartsWith("__", StringComparison.Ordinal)).ToList();
        var owner = OwnerClassifier.Classify(SnatBackend.Nftables, NfProto.Name(rule.Family), rule.Table, rule.Chain, rule.Comment, outInterface, namedSets);
        return new SnatRule
        {
            Backend = SnatBackend.Nftables,
            Family = family,
            Table = rule.Table,
            Chain = rule.Chain,
            Handle = rule.Handle,
            Position = position,
            // The analysed statement when there is one, else the expression itself (never a guess).
            Action = analysis.Nat is { } nat ? (nat.IsMasquerade ? SnatAction.Masquerade : SnatAction.Snat) : SeenAction(rule),
            Flags = range.Flags,
            ToAddresses = printed.Nat?.Addresses,
            ToPorts = printed.Nat?.Ports,
            AddressMap = printed.Nat?.Map,
            Range = range,
            ProtocolNumber = analysis.TransportProtocol,
            OutInterface = outInterface,
            OutInterfaceNegated = analysis.OutInterface is not null && analysis.OutInterfaceNegated,
            Matches = printed.Matches,
            Comment = rule.Comment,
            Packets = analysis.Counter?.Packets,
            Bytes = analysis.Counter?.Bytes,
            Owner = owner.Owner,
            OwnerEvidence = owner.Evidence,
            OwnerIsGuess = owner.IsGuess,
            OwnerAdvice = Rules.OwnerAdvice.For(owner.Owner),
            NetworkNamespace = networkNamespace,
            Text = printed.Text,
            Unknown = unknown,
            NatDecoded = rule.Expressions.Any(e => e is MasqExpression or NatExpression { IsSnat: true }),
            Reachable = reachable,
            GenerationId = generation,
            Locator = locator,
        };
    }

    /// <summary>The <see cref="UnknownPart.Name"/> of a rule that failed as a whole.</summary>
    public const string UndecodableName = "rule";

    /// <summary>
    /// A native or iptables-nft rule whose decoding, analysis or printing failed: listed with what
    /// is known of it and the failure as its unknown part, so it is shown and never rewritten.
    /// </summary>
    public static SnatRule FromUndecodableNftRule(NftTable table, string chain, int position, bool? reachable, uint generation, string? networkNamespace, NftRule? rule, Exception error)
    {
        var unknown = new List<UnknownPart> { new(UndecodableName, $"{error.GetType().Name}: {error.Message}", string.Empty) };
        unknown.AddRange((rule?.Expressions ?? []).OfType<UnknownExpression>()
            .Select(e => new UnknownPart(e.Name, e.Reason, Convert.ToHexString(e.Raw.Span).ToLowerInvariant())));
        // Without a rule (the message could not be read) native and iptables-nft cannot be told apart:
        // SnatBackend has no unknown value, so it says Nftables, and the reader lists it under either.
        bool iptables = rule?.Expressions.OfType<TargetExpression>().Any() == true;
        return new SnatRule
        {
            Backend = iptables ? SnatBackend.IptablesNft : SnatBackend.Nftables,
            Family = table.Family switch { NfProto.IPv6 => SnatFamily.IPv6, NfProto.Inet => SnatFamily.Inet, _ => SnatFamily.IPv4 },
            Table = table.Name,
            Chain = chain,
            Handle = rule?.Handle,
            Position = position,
            Action = SeenAction(rule),
            Flags = NatRangeFlags.None,
            Matches = string.Empty,
            Comment = rule?.Comment,
            Owner = SnatOwner.Unknown,
            NetworkNamespace = networkNamespace,
            Text = DebugText(rule),
            Unknown = unknown,
            Reachable = reachable,
            GenerationId = generation,
            Locator = rule is null ? null! : new NftRuleLocator(rule.Family, rule.Table, rule.Chain, rule.Handle, generation, rule),
        };
    }

    /// <summary>
    /// The NAT statement or x_tables target the rule was seen to hold; Unknown when the message
    /// could not be read that far (never a guess: a masquerade must not show as SNAT).
    /// </summary>
    private static SnatAction SeenAction(NftRule? rule)
    {
        foreach (var expression in Enumerable.Reverse(rule?.Expressions ?? []))
        {
            switch (expression)
            {
                case MasqExpression:
                case TargetExpression { Extension: XtNatTarget.Masquerade }:
                    return SnatAction.Masquerade;
                case NatExpression { IsSnat: true }:
                case TargetExpression { Extension: XtNatTarget.Snat }:
                    return SnatAction.Snat;
            }
        }

        return SnatAction.Unknown;
    }

    /// <summary>The rule in nft's debug notation, plainly marked unknown where even that fails.</summary>
    private static string DebugText(NftRule? rule)
    {
        if (rule is null)
        {
            return UndecodableText;
        }

        try
        {
            return string.Join(' ', rule.Expressions.Select(e => e.ToString()));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return UndecodableText;
        }
    }

    /// <summary>Each set read at most once per rule: the analysis needs its shape, the printer its elements.</summary>
    private static Func<string, NftSetContents?>? Remembered(Func<string, NftSetContents?>? sets)
    {
        if (sets is null)
        {
            return null;
        }

        var read = new Dictionary<string, NftSetContents?>(StringComparer.Ordinal);
        return name =>
        {
            if (!read.TryGetValue(name, out var contents))
            {
                read[name] = contents = sets(name);
            }

            return contents;
        };
    }

    /// <summary>
    /// An iptables-legacy entry whose target is MASQUERADE or SNAT but whose contents, or the rule
    /// built from them, failed: listed with its target and the failure as its unknown part, so it is
    /// shown and never rewritten.
    /// </summary>
    public static SnatRule FromUndecodableLegacyEntry(LegacyTable table, string chain, int position, LegacyEntry entry, bool? reachable, string? networkNamespace, Exception error)
    {
        return new SnatRule
        {
            Backend = SnatBackend.IptablesLegacy,
            Family = table.Layout.IsIPv6 ? SnatFamily.IPv6 : SnatFamily.IPv4,
            Table = table.Name,
            Chain = chain,
            Position = position,
            Action = entry.TargetName == XtNatTarget.Masquerade ? SnatAction.Masquerade : SnatAction.Snat,
            Flags = NatRangeFlags.None,
            Matches = string.Empty,
            Owner = SnatOwner.Unknown,
            NetworkNamespace = networkNamespace,
            // The target was seen; what comes before it and its options were not.
            Text = $"-A {chain} {UndecodableText} -j {entry.TargetName}",
            Unknown = [new(UndecodableName, $"{error.GetType().Name}: {error.Message}", string.Empty)],
            Reachable = reachable,
            Locator = null!,
        };
    }

    /// <summary>What stands in a rule's text for the part that could not be read.</summary>
    public const string UndecodableText = "[ unknown rule ]";

    /// <summary>An iptables-legacy entry whose target is MASQUERADE or SNAT.</summary>
    public static SnatRule FromLegacyEntry(
        LegacyTable table,
        string chain,
        int position,
        LegacyEntry entry,
        bool? reachable,
        string digest,
        string? networkNamespace,
        Func<ushort, string?>? setNames)
    {
        var rule = entry.Rule;
        var unknown = rule.Problems.Select(p => new UnknownPart("iptables", p, string.Empty)).ToList();
        if (rule.NatTarget is null)
        {
            unknown.Add(new UnknownPart(entry.TargetName, $"target {entry.TargetName} rev {entry.TargetRevision} is not decoded", Convert.ToHexString(entry.TargetData).ToLowerInvariant()));
        }

        return FromIptablesRule(
            rule, SnatBackend.IptablesLegacy, table.Name, chain, handle: null, position,
            masquerade: entry.TargetName == XtNatTarget.Masquerade, unknown, reachable, generation: null, networkNamespace, setNames,
            new LegacyRuleLocator(rule.IsIPv6, table.Name, chain, position, entry.Offset, entry.BytesWithoutCounters(table.Layout, table.Blob), digest, table.ValidHooks, table.EntryCount, table.Blob.Length));
    }

    /// <summary>A rule in iptables' own terms (read from iptables-nft expressions or a legacy entry); text as iptables-save prints it.</summary>
    private static SnatRule FromIptablesRule(
        IptablesRule rule,
        SnatBackend backend,
        string table,
        string chain,
        ulong? handle,
        int position,
        bool masquerade,
        List<UnknownPart> unknown,
        bool? reachable,
        uint? generation,
        string? networkNamespace,
        Func<ushort, string?>? setNames,
        RuleLocator locator)
    {
        var context = new XtSaveContext(rule.IsIPv6, rule.Protocol, setNames);
        var nat = rule.NatTarget?.Range ?? new NatRange(NatRangeFlags.None, null, null, 0, 0);
        var sets = rule.Matches.OfType<Xtables.Matches.SetMatch>().Select(m => setNames?.Invoke(m.Index)).OfType<string>().ToList();
        var owner = OwnerClassifier.Classify(backend, rule.IsIPv6 ? "ip6" : "ip", table, chain, rule.Comment, rule.OutInterface.Length > 0 ? rule.OutInterface : null, sets);
        return new SnatRule
        {
            Backend = backend,
            Family = rule.IsIPv6 ? SnatFamily.IPv6 : SnatFamily.IPv4,
            Table = table,
            Chain = chain,
            Handle = handle,
            Position = position,
            Action = masquerade ? SnatAction.Masquerade : SnatAction.Snat,
            Flags = nat.Flags,
            ToAddresses = nat.AddressText,
            ToPorts = nat.PortText,
            Range = nat,
            ProtocolNumber = rule.Protocol is > 0 and <= byte.MaxValue && !rule.ProtocolInverted ? (byte)rule.Protocol : null,
            OutInterface = rule.OutInterface.Length > 0 ? rule.OutInterface : null,
            OutInterfaceNegated = rule.OutInterface.Length > 0 && rule.OutInterfaceInverted,
            Matches = IptablesSaveFormatter.FormatMatches(rule, context),
            Comment = rule.Comment,
            Packets = rule.Packets,
            Bytes = rule.Bytes,
            Owner = owner.Owner,
            OwnerEvidence = owner.Evidence,
            OwnerIsGuess = owner.IsGuess,
            OwnerAdvice = Rules.OwnerAdvice.For(owner.Owner),
            NetworkNamespace = networkNamespace,
            Text = IptablesSaveFormatter.Format(chain, rule, context),
            Unknown = unknown,
            NatDecoded = rule.NatTarget is not null,
            StateRestartedByRewrite = XtPrivateState.RestartedBy(rule.Matches),
            Reachable = reachable,
            GenerationId = generation,
            Locator = locator,
        };
    }
}
