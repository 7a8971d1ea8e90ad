using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Walks a rule's expressions in order, as the kernel runs them, and follows the registers: each
/// load (payload, meta, ct, fib, numgen, hash, immediate, bitwise, byteorder, a map lookup) records
/// what a register holds, and each expression that reads registers becomes a statement over those
/// values. Loads themselves make no statement. The result is the one reading of the rule that both
/// iptables-nft's view (<see cref="Xtables.IptablesNftParser"/>) and nft's view
/// (<see cref="Printing.NftRulePrinter"/>) start from.
/// </summary>
public sealed class NftRuleAnalyser
{
    private readonly NftRegisters _registers = new();
    private readonly List<NftStatement> _statements = [];
    private readonly Func<string, NftSetContents?>? _sets;
    private byte? _networkFamily;
    private byte? _transportProtocol;
    private (NftOperand Left, int Index, byte[] Value)? _lastGreaterOrEqual;

    private NftRuleAnalyser(NftRule rule, Func<string, NftSetContents?>? sets)
    {
        _sets = sets;
        _networkFamily = rule.Family is NfProto.IPv4 or NfProto.IPv6 ? rule.Family : null;
    }

    /// <summary>Analyses <paramref name="rule"/>; <paramref name="sets"/> reads the sets and maps it looks up, by name.</summary>
    public static NftRuleAnalysis Analyse(NftRule rule, Func<string, NftSetContents?>? sets = null)
    {
        var analyser = new NftRuleAnalyser(rule, sets);
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
                _registers.Load(payload.DestinationRegister!.Value, new PayloadOperand(payload.Base, payload.Offset, (int)payload.Length, _networkFamily)
                {
                    TransportProtocol = payload.Base == NftPayloadBase.Transport ? _transportProtocol : null,
                });
                break;
            case MetaExpression { DestinationRegister: { } register } meta:
                _registers.Load(register, new MetaOperand(meta.Key));
                break;
            case CtExpression { DestinationRegister: { } register } ct:
                _registers.Load(register, new CtOperand(ct.Key, ct.Direction));
                break;
            case MetaExpression { SourceRegister: { } source } meta when _registers.Read(source) is { } value:
                _statements.Add(new NftSetStatement(new MetaOperand(meta.Key), value));
                break;
            case CtExpression { SourceRegister: { } source } ct when _registers.Read(source) is { } value:
                _statements.Add(new NftSetStatement(new CtOperand(ct.Key, ct.Direction), value));
                break;
            case PayloadExpression { IsLoad: false, SourceRegister: { } source } write when _registers.Read(source, (int)write.Length) is { } written:
                _statements.Add(new NftSetStatement(
                    new PayloadOperand(write.Base, write.Offset, (int)write.Length, _networkFamily)
                    {
                        TransportProtocol = write.Base == NftPayloadBase.Transport ? _transportProtocol : null,
                    },
                    written));
                break;
            case FibExpression fib:
                _registers.Load(fib.DestinationRegister, new FibOperand(fib.Result, fib.Flags));
                break;
            case NumgenExpression numgen:
                _registers.Load(numgen.DestinationRegister, new NumgenOperand(numgen.Type == NftaNumgen.TypeRandom, numgen.Modulus, numgen.Offset));
                break;
            case HashExpression { IsSymmetric: true } symmetric:
                _registers.Load(symmetric.DestinationRegister, new HashOperand(true, null, symmetric.Modulus, null, symmetric.Offset));
                break;
            case HashExpression { SourceRegister: { } source } hash when _registers.Read(source, (int)hash.Length) is { } hashed:
                _registers.Load(hash.DestinationRegister, new HashOperand(false, hashed, hash.Modulus, hash.Seed, hash.Offset));
                break;
            case ByteorderExpression byteorder when _registers.Read(byteorder.SourceRegister, (int)byteorder.Length) is { } converted:
                _registers.Load(byteorder.DestinationRegister, new ByteOrderOperand(converted, byteorder.Op == NftaByteorder.HostToNetwork));
                break;
            case ImmediateExpression { Verdict: { } verdict }:
                _statements.Add(new NftVerdictStatement(verdict));
                break;
            case ImmediateExpression immediate when immediate.Data.Value is { } value:
                _registers.Load(immediate.DestinationRegister, new ConstantOperand(value));
                break;
            case BitwiseExpression bitwise when bitwise.IsMaskXor && _registers.Read(bitwise.SourceRegister, (int)bitwise.Length) is { } source:
                _registers.Load(bitwise.DestinationRegister, new MaskedOperand(source, bitwise.Mask, bitwise.Xor));
                break;
            case CmpExpression cmp when _registers.Read(cmp.SourceRegister, cmp.Value.Length) is { } left:
                Compare(left, cmp);
                break;
            case RangeExpression range when _registers.Read(range.SourceRegister, range.From.Value!.Length) is { } left:
                _statements.Add(new NftRangeMatch(left, range.Op == NftRangeOp.Neq, range.From.Value!, range.To.Value!));
                break;
            case LookupExpression lookup:
                Lookup(lookup);
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
            case UnknownExpression raw when ExthdrOperand.Load(raw) is { } exthdr:
                _registers.Load(exthdr.Register, exthdr.Operand);
                break;
            case UnknownExpression raw when RtOperand.Load(raw) is { } rt:
                _registers.Load(rt.Register, rt.Operand);
                break;
            case UnknownExpression raw when ExthdrOperand.Write(raw) is { } write && _registers.Read(write.Register, write.Operand.Size) is { } written:
                _statements.Add(new NftSetStatement(write.Operand, written));
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

        if (cmp.Op == NftCmpOp.Eq && cmp.Value.Length == 1
            && (left is MetaOperand { Key: NftMetaKey.L4Proto } || (left is PayloadOperand { Size: 1 } protocol && NetworkHeader.FieldOf(protocol) == NetworkField.Protocol)))
        {
            _transportProtocol = cmp.Value[0];
        }
    }

    /// <summary>A set test, a verdict map, or a map whose data lands in a register.</summary>
    private void Lookup(LookupExpression lookup)
    {
        var contents = _sets?.Invoke(lookup.SetName);
        var key = contents is null ? _registers.Read(lookup.SourceRegister) : _registers.Read(lookup.SourceRegister, (int)contents.Set.KeyLength);
        if (key is null)
        {
            Other(lookup);
            return;
        }

        if (lookup.DestinationRegister is { } data && data != NftRegister.Verdict)
        {
            _registers.Load(data, new MapOperand(key, lookup.SetName, contents));
            return;
        }

        _statements.Add(new NftLookupStatement(key, lookup.SetName, lookup.Inverted, lookup.IsVerdictMap, contents));
    }

    private void Other(Expression expression)
    {
        _statements.Add(new NftOtherStatement(expression));
        if (expression is UnknownExpression)
        {
            // Its destination register is not known (exthdr, rt, objref, ...): a later comparison on
            // any register must print as unknown, never as the value an earlier load left there.
            _registers.ForgetAll();
            return;
        }

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
        HashExpression hash => [hash.DestinationRegister],
        ByteorderExpression byteorder => [byteorder.DestinationRegister],
        _ => [],
    };

    private NftRegisterValue? Value(uint? register) =>
        register is { } number ? new NftRegisterValue(number, _registers.Read(number)) : null;
}
