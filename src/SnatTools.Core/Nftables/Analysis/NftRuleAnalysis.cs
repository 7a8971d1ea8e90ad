using SnatTools.Core.Nat;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// A native rule read into statements, and what those statements mean for source NAT: the NAT
/// target, the output-interface test, the transport protocol the rule is limited to and the
/// counter. Printing the rule as nft text is <see cref="Printing.NftRulePrinter"/>'s job.
/// </summary>
public sealed class NftRuleAnalysis
{
    private readonly List<string> _problems = [];
    private readonly Dictionary<NftNatStatement, NftNatTarget> _targets = new(ReferenceEqualityComparer.Instance);

    public NftRuleAnalysis(NftRule rule, IReadOnlyList<NftStatement> statements)
    {
        Rule = rule;
        Statements = statements;
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case NftComparison { Left: MetaOperand { Key: NftMetaKey.OifName }, Op: NftCmpOp.Eq or NftCmpOp.Neq } oif:
                    OutInterface = InterfaceName.Decode(oif.Value);
                    OutInterfaceNegated = oif.Op == NftCmpOp.Neq;
                    break;
                case NftComparison { Op: NftCmpOp.Eq, Value.Length: 1 } protocol when IsProtocolField(protocol.Left):
                    TransportProtocol = protocol.Value[0] == 0 ? null : protocol.Value[0];
                    break;
                case NftCounterStatement counter:
                    Counter = counter;
                    break;
                case NftNatStatement nat:
                    Nat = _targets[nat] = NftNatTarget.From(nat, _problems);
                    break;
            }
        }
    }

    public NftRule Rule { get; }

    public IReadOnlyList<NftStatement> Statements { get; }

    /// <summary>The last `oifname ==`/`!=` test, or null.</summary>
    public InterfaceName? OutInterface { get; }

    public bool OutInterfaceNegated { get; }

    /// <summary>The IP protocol the last `meta l4proto ==` / `ip protocol ==` / `ip6 nexthdr ==` test limits the rule to, or null.</summary>
    public byte? TransportProtocol { get; }

    public NftCounterStatement? Counter { get; }

    /// <summary>The source-NAT statement's target (the last one, as the kernel stops there), or null.</summary>
    public NftNatTarget? Nat { get; }

    /// <summary>The NAT range, or an empty one when the rule has no source-NAT statement.</summary>
    public NatRange NatRange => Nat?.Range ?? new NatRange(NatRangeFlags.None, null, null, 0, 0);

    /// <summary>The target of one of <see cref="Statements"/>.</summary>
    public NftNatTarget TargetOf(NftNatStatement statement) => _targets[statement];

    /// <summary>What the NAT target could not be read from.</summary>
    public IReadOnlyList<string> Problems => _problems;

    private static bool IsProtocolField(NftOperand operand) =>
        operand is MetaOperand { Key: NftMetaKey.L4Proto }
        || (operand is PayloadOperand { Size: 1 } payload && NetworkHeader.FieldOf(payload) == NetworkField.Protocol);
}
