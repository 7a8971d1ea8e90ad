using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Walks a rule's expressions in order, as the kernel runs them, and follows the registers: each
/// load (payload, meta, ct, fib, immediate, bitwise) records what a register holds, and each
/// expression that reads registers becomes a statement over those values. Loads themselves make no
/// statement. The result is the one reading of the rule that both iptables-nft's view
/// (<see cref="Xtables.IptablesNftParser"/>) and nft's view (<see cref="Printing.NftRulePrinter"/>) start from.
/// </summary>
public sealed class NftRuleAnalyser
{
    private readonly NftRule _rule;
    private readonly NftRegisters _registers = new();
    private readonly List<NftStatement> _statements = [];
    private byte? _networkFamily;
    private (NftOperand Left, int Index, byte[] Value)? _lastGreaterOrEqual;

    private NftRuleAnalyser(NftRule rule)
    {
        _rule = rule;
        _networkFamily = rule.Family is NfProto.IPv4 or NfProto.IPv6 ? rule.Family : null;
    }

    public static NftRuleAnalysis Analyse(NftRule rule)
    {
        var analyser = new NftRuleAnalyser(rule);
        foreach (var expression in rule.Expressions)
        {
            analyser.Step(expression);
        }

        return new NftRuleAnalysis(rule, analyser._statements);
    }

    private void Step(Expression expression)
    {
        switch (expression)
        {
            case PayloadExpression { IsLoad: true } payload:
                _registers.Load(payload.DestinationRegister!.Value, new PayloadOperand(payload.Base, payload.Offset, (int)payload.Length, _networkFamily));
                break;
            case MetaExpression { DestinationRegister: { } register } meta:
                _registers.Load(register, new MetaOperand(meta.Key));
                break;
            case CtExpression { DestinationRegister: { } register } ct:
                _registers.Load(register, new CtOperand(ct.Key, ct.Direction));
                break;
            case FibExpression fib:
                _registers.Load(fib.DestinationRegister, new FibOperand(fib.Result, fib.Flags));
                break;
            case ImmediateExpression { Verdict: { } verdict }:
                _statements.Add(new NftVerdictStatement(verdict));
                break;
            case ImmediateExpression immediate when immediate.Data.Value is { } value:
                _registers.Load(immediate.DestinationRegister, new ConstantOperand(value));
                break;
            case BitwiseExpression bitwise when bitwise.IsMaskXor && _registers.Read(bitwise.SourceRegister) is { } source:
                _registers.Load(bitwise.DestinationRegister, new MaskedOperand(source, bitwise.Mask, bitwise.Xor));
                break;
            case CmpExpression cmp when _registers.Read(cmp.SourceRegister) is { } left:
                Compare(left, cmp);
                break;
            case RangeExpression range when _registers.Read(range.SourceRegister) is { } left:
                _statements.Add(new NftRangeMatch(left, range.Op == NftRangeOp.Neq, range.From.Value!, range.To.Value!));
                break;
            case LookupExpression lookup when _registers.Read(lookup.SourceRegister) is { } left:
                _statements.Add(new NftLookupStatement(left, lookup.SetName, lookup.Inverted, lookup.IsVerdictMap));
                break;
            case CounterExpression counter:
                _statements.Add(new NftCounterStatement(counter.Packets, counter.Bytes));
                break;
            case MasqExpression masq:
                _statements.Add(new NftNatStatement(NftNatKind.Masquerade, 0, masq.Flags, null, null, Value(masq.ProtoMinRegister), Value(masq.ProtoMaxRegister)));
                break;
            case NatExpression { IsSnat: true } nat:
                _statements.Add(new NftNatStatement(
                    NftNatKind.SourceNat, nat.Family, nat.Flags,
                    Value(nat.AddressMinRegister), Value(nat.AddressMaxRegister), Value(nat.ProtoMinRegister), Value(nat.ProtoMaxRegister)));
                break;
            default:
                Other(expression);
                break;
        }
    }

    private void Compare(NftOperand left, CmpExpression cmp)
    {
        if (cmp.Op == NftCmpOp.Lte && _lastGreaterOrEqual is { } gte && ReferenceEquals(gte.Left, left))
        {
            // nft writes "a-b" on its own as ">= a" then "<= b".
            _statements[gte.Index] = new NftRangeMatch(left, false, gte.Value, cmp.Value);
            _lastGreaterOrEqual = null;
            return;
        }

        _statements.Add(new NftComparison(left, cmp.Op, cmp.Value));
        _lastGreaterOrEqual = cmp.Op == NftCmpOp.Gte ? (left, _statements.Count - 1, cmp.Value) : null;
        if (cmp.Op == NftCmpOp.Eq && left is MetaOperand { Key: NftMetaKey.NfProto } && cmp.Value.Length == 1)
        {
            _networkFamily = cmp.Value[0];
        }
    }

    private void Other(Expression expression)
    {
        _statements.Add(new NftOtherStatement(expression));
        foreach (uint register in WrittenRegisters(expression))
        {
            _registers.Forget(register);
        }
    }

    /// <summary>Registers an expression this analyser does not follow may have written.</summary>
    private static IEnumerable<uint> WrittenRegisters(Expression expression) => expression switch
    {
        BitwiseExpression bitwise => [bitwise.DestinationRegister],
        LookupExpression { DestinationRegister: { } register } => [register],
        PayloadExpression { DestinationRegister: { } register } => [register],
        ImmediateExpression immediate => [immediate.DestinationRegister],
        _ => [],
    };

    private NftRegisterValue? Value(uint? register) =>
        register is { } number ? new NftRegisterValue(number, _registers.Read(number)) : null;
}
