using System.Text;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Prints an analysed native rule the way `nft list ruleset` (nftables 1.0.x, netlink_delinearize.c
/// and statement.c) does: comparisons, ranges and set lookups of header fields, interfaces, meta,
/// ct and fib keys (prefixes, masks, flag tests), named and anonymous sets and maps, verdict maps,
/// counter, verdicts, masquerade and snat (<see cref="NftNatText"/>), and the comment. Protocol
/// matches that only exist as the dependency of a later header field are left out, as nft does
/// (<see cref="NftDependencies"/>). What it cannot print is reported as a problem and shown in
/// nft's debug notation.
/// </summary>
public sealed partial class NftRulePrinter
{
    private readonly NftRuleAnalysis _analysis;
    private readonly List<Printed> _printed = [];
    private readonly List<string> _problems = [];
    private readonly NftDependencies _dependencies;
    private readonly NftOperandText _operands;
    private readonly NftSetText _sets;
    private readonly NftNatText _nat;
    private NftPrintedNat? _lastNat;

    private NftRulePrinter(NftRuleAnalysis analysis)
    {
        _analysis = analysis;
        _dependencies = new NftDependencies(analysis.Rule.Family == NfProto.Inet);
        _operands = new NftOperandText(_dependencies);
        _sets = new NftSetText(_problems);
        _nat = new NftNatText(_operands, _sets);
    }

    public static NftPrintedRule Print(NftRuleAnalysis analysis)
    {
        var printer = new NftRulePrinter(analysis);
        foreach (var statement in analysis.Statements)
        {
            printer.Statement(statement);
        }

        return printer.Result();
    }

    private void Statement(NftStatement statement)
    {
        switch (statement)
        {
            case NftComparison comparison:
                Compare(comparison);
                break;
            case NftRangeMatch range:
                Range(range);
                break;
            case NftLookupStatement lookup:
                Lookup(lookup);
                break;
            case NftCounterStatement counter:
                Add(Kind.Counter, $"counter packets {counter.Packets} bytes {counter.Bytes}");
                break;
            case NftVerdictStatement verdict:
                Add(Kind.Verdict, verdict.Verdict.ToString());
                break;
            case NftNatStatement nat:
                Nat(nat);
                break;
            case NftSetStatement set:
                if (SetText(set) is { } assignment)
                {
                    Add(Kind.Other, assignment);
                }
                else
                {
                    Unprintable(Kind.Other, set.ToString());
                }

                break;
            case NftOtherStatement { Expression: UnknownExpression raw } when NftStatementText.Of(raw) is { } text:
                Add(Kind.Other, text);
                break;
            case NftOtherStatement other:
                Unprintable(Kind.Other, other.ToString());
                break;
        }
    }

    private NftPrintedRule Result()
    {
        var text = new StringBuilder();
        var matches = new StringBuilder();
        for (int i = 0; i < _printed.Count; i++)
        {
            if (_dependencies.IsRemoved(i))
            {
                continue;
            }

            var printed = _printed[i];
            text.Append(text.Length > 0 ? " " : string.Empty).Append(printed.Text);
            if (printed.Kind == Kind.Match)
            {
                matches.Append(matches.Length > 0 ? " " : string.Empty).Append(printed.Text);
            }
        }

        if (_analysis.Rule.Comment is { } comment)
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append("comment \"").Append(comment).Append('"');
        }

        return new NftPrintedRule(text.ToString(), matches.ToString(), _lastNat, _problems);
    }

    private int Add(Kind kind, string text)
    {
        if (kind != Kind.Match)
        {
            _dependencies.Reset();
        }

        _printed.Add(new Printed(kind, text));
        return _printed.Count - 1;
    }

    /// <summary>
    /// A part this version cannot print: the text says plainly that it is unknown and shows no value
    /// (a raw value in nft's place could be read as nft's); the debug notation goes into the problem.
    /// </summary>
    private void Unprintable(Kind kind, string debugText)
    {
        _problems.Add($"{debugText} has no nft text in this version");
        Add(kind, UnknownText(debugText));
    }

    /// <summary>The marker for an unprintable part: `[unknown cmp eq meta length]`, its values left out.</summary>
    public static string UnknownText(string debugText) =>
        "[unknown " + HexValue().Replace(debugText.Trim('[', ']', ' '), string.Empty).Trim() + "]";

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*(0x[0-9a-fA-F]+|\?\s*[0-9a-fA-F]*)")]
    private static partial System.Text.RegularExpressions.Regex HexValue();

    private void Compare(NftComparison comparison)
    {
        if (CompareText(comparison) is not { } text)
        {
            Unprintable(Kind.Match, comparison.ToString());
            return;
        }

        int index = Add(Kind.Match, text);
        if (comparison is { Op: NftCmpOp.Eq, Left: MetaOperand { Key: NftMetaKey.IifType }, Value: [1, 0] }) // ARPHRD_ETHER, host order
        {
            _dependencies.Link(index);
        }

        if (comparison.Op != NftCmpOp.Eq || comparison.Value.Length != 1)
        {
            return;
        }

        switch (comparison.Left)
        {
            case MetaOperand { Key: NftMetaKey.NfProto }:
                _dependencies.Network(index, comparison.Value[0]);
                break;
            case MetaOperand { Key: NftMetaKey.L4Proto }:
                _dependencies.Transport(index, comparison.Value[0]);
                break;

            case PayloadOperand { Size: 1 } payload when NetworkHeader.FieldOf(payload) == NetworkField.Protocol:
                _dependencies.Transport(index, comparison.Value[0], networkField: true);
                break;
            case PayloadOperand { Base: NftPayloadBase.Transport, Offset: 0, Size: 1, TransportProtocol: 1 or 58 } icmp:
                _dependencies.IcmpType(index, icmp.TransportProtocol == 58, comparison.Value[0]);
                break;
        }
    }

    private string? CompareText(NftComparison comparison)
    {
        uint op = comparison.Op;
        var value = comparison.Value;
        if (comparison.Left is MaskedOperand masked)
        {
            return MaskedText(masked, op, value);
        }

        if (_operands.Name(comparison.Left) is not { } name || NftOperandTypes.Of(comparison.Left) is not [var type] || type.Type == NftDataType.CtLabel)
        {
            return null;
        }

        // A prefix on a byte boundary is a shorter comparison (ip6 saddr 2001:db8::/48 loads and compares 6 bytes).
        if (type.IsAddress && value.Length < type.Size)
        {
            return $"{name} {NftValueText.Op(op)}{NftValueText.Address(NftValueText.AddressBytes(value, type.Size == 16), value.Length * 8)}";
        }

        // A tcp flags value that is not one flag has no symbol: nft prints the bitmask base, hex (`tcp flags == 0xff`).
        if ((type.Type == NftDataType.TcpFlag && value.Length == 1 && value[0] != 0 ? NftValueText.TcpFlag(value[0]) ?? $"0x{value[0]:x}" : NftValueText.Format(type, value)) is not { } right)
        {
            return null;
        }

        // nft prints "==" before a flag value compared as a whole (relational_expr_print, must_print_eq_op).
        return $"{name} {(op == NftCmpOp.Eq && type.IsBitmask ? "== " : NftValueText.Op(op))}{right}";
    }

    /// <summary>
    /// (x &amp; mask) compared: a flag test (`ct state established,new`), an address prefix
    /// (`ip saddr 198.51.100.0/24`), or the mask spelled out (`meta mark &amp; 0x0000ff00 == 0x00000100`).
    /// </summary>
    private string? MaskedText(MaskedOperand masked, uint op, byte[] value)
    {
        if (IsBitField(masked))
        {
            return _operands.BitField(masked) is { } field && BitFieldValue(field.Type, field.Shift, value) is { } shifted
                ? $"{field.Name} {NftValueText.Op(op)}{shifted}"
                : null;
        }

        if (masked.Xor.AsSpan().IndexOfAnyExcept((byte)0) >= 0
            || _operands.Name(masked.Source) is not { } name || NftOperandTypes.Of(masked.Source) is not [var type])
        {
            return null;
        }

        bool zero = value.AsSpan().IndexOfAnyExcept((byte)0) < 0;
        if (type.Type == NftDataType.TcpFlag)
        {
            return TcpFlagsText(name, op, masked.Mask, value);
        }

        if ((type.IsBitmask || type.Type == NftDataType.CtLabel) && zero && op == NftCmpOp.Neq)
        {
            return NftValueText.Format(type, masked.Mask) is { } flags ? $"{name} {flags}" : null;
        }

        if (type.IsBitmask && zero && op == NftCmpOp.Eq)
        {
            // data & flags == 0 is printed with the negation operator (relational_binop_postprocess: OP_NEG).
            return NftValueText.Format(type, masked.Mask) is { } flags ? $"{name} ! {flags}" : null;
        }

        if (type.IsAddress && op is NftCmpOp.Eq or NftCmpOp.Neq && XtText.MaskToCidr(masked.Mask) is >= 0 and var prefix)
        {
            return $"{name} {NftValueText.Op(op)}{NftValueText.Address(NftValueText.AddressBytes(value, type.Size == 16), prefix)}";
        }

        if (op is NftCmpOp.Eq or NftCmpOp.Neq && !type.IsBitmask && NftValueText.PrefixLength(type, masked.Mask) is { } bits
            && NftValueText.Format(type, value) is { } prefixed)
        {
            // nft turns `x & mask == v` with a mask of leading ones into a prefix (netlink_delinearize.c, expr_mask_is_prefix).
            return $"{name} {NftValueText.Op(op)}{prefixed}/{bits}";
        }

        if (op is not (NftCmpOp.Eq or NftCmpOp.Neq) || NftValueText.Format(type, masked.Mask) is not { } mask || NftValueText.Format(type, value) is not { } right)
        {
            return null;
        }

        return $"{name} & {mask} {(op == NftCmpOp.Eq ? "==" : "!=")} {right}";
    }

    /// <summary>
    /// tcp flags under a mask (netlink_delinearize.c relational_binop_postprocess): `tcp flags syn,ack`
    /// (any of them), `tcp flags ! syn` (none), `tcp flags & syn == syn` (one flag, all of it), else
    /// `tcp flags [!= ]syn / fin,syn,rst,ack` (flagcmp_expr_print).
    /// </summary>
    private static string? TcpFlagsText(string name, uint op, byte[] mask, byte[] value)
    {
        if (mask.Length != 1 || value.Length != 1 || op is not (NftCmpOp.Eq or NftCmpOp.Neq) || (value[0] & ~mask[0]) != 0
            || NftValueText.TcpFlagList(mask[0]) is not { } flags)
        {
            return null;
        }

        if (mask[0] == 0xff)
        {
            // A mask of the whole field goes first (payload_expr_trim): a plain comparison, `tcp flags == 0xff`.
            return value[0] == 0 ? null : $"{name} {(op == NftCmpOp.Eq ? "== " : "!= ")}{NftValueText.TcpFlag(value[0]) ?? $"0x{value[0]:x}"}";
        }

        if (value[0] == 0)
        {
            return op == NftCmpOp.Neq ? $"{name} {flags}" : $"{name} ! {flags}";
        }

        if (value[0] == mask[0] && NftValueText.TcpFlag(mask[0]) is { } one)
        {
            return $"{name} & {one} {(op == NftCmpOp.Eq ? "==" : "!=")} {one}";
        }

        return $"{name} {(op == NftCmpOp.Neq ? "!= " : string.Empty)}{NftValueText.TcpFlagList(value[0])} / {flags}";
    }

    /// <summary>`meta mark set 0x00000001`, `ct mark set meta mark` (statement.c meta_stmt_print, ct_stmt_print); null when a side has no text here.</summary>
    private string? SetText(NftSetStatement set)
    {
        if (set.Target is PayloadOperand written && set.Value is MaskedOperand { Source: PayloadOperand loaded } kept)
        {
            return BitFieldSetText(written, loaded, kept);
        }

        if (_operands.Name(set.Target) is not { } target || NftOperandTypes.Of(set.Target) is not [var type])
        {
            return null;
        }

        string? value = set.Value switch
        {
            ConstantOperand constant => NftValueText.Format(type, constant.Value),
            MetaOperand or CtOperand or RtOperand or ByteOrderOperand { Source: MetaOperand or CtOperand or RtOperand } => _operands.Name(set.Value),
            _ => null,
        };
        return value is null ? null : $"{target} set {value}";
    }

    /// <summary>A value compared with a masked field, shifted down to the field (netlink_delinearize.c binop_adjust).</summary>
    private static string? BitFieldValue(NftValueType type, int shift, byte[] value, bool numeric = false)
    {
        if (value.Length > 8)
        {
            return null;
        }

        ulong number = NftValueText.BigEndian(value) >> shift;
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, number);
        return number >> (type.Size * 8 - 1) >> 1 != 0 ? null : NftValueText.Format(type, bytes.AsSpan(8 - type.Size), numeric);
    }

    /// <summary>
    /// A bit field written back with the bits around it (`ip dscp set af23`): the packet's bytes loaded,
    /// the field's bits cleared by the mask and the new value or-ed in (netlink_delinearize.c
    /// stmt_payload_binop_postprocess): the field is what the mask clears.
    /// </summary>
    private string? BitFieldSetText(PayloadOperand target, PayloadOperand loaded, MaskedOperand kept)
    {
        if (loaded with { TransportProtocol = target.TransportProtocol } != target || kept.Mask.Length != target.Size || kept.Xor.Length != target.Size)
        {
            return null;
        }

        var field = kept.Mask.Select(b => (byte)~b).ToArray();
        if (kept.Xor.Where((b, i) => (b & kept.Mask[i]) != 0).Any()
            || _operands.BitField(new MaskedOperand(target, field, new byte[field.Length])) is not { } named
            || BitFieldValue(named.Type, named.Shift, kept.Xor) is not { } value)
        {
            return null;
        }

        return $"{named.Name} set {value}";
    }

    private void Range(NftRangeMatch range)
    {
        if (range.Left is MaskedOperand masked && IsBitField(masked))
        {
            if (_operands.BitField(masked) is { } field && BitFieldValue(field.Type, field.Shift, range.From, numeric: true) is { } low
                && BitFieldValue(field.Type, field.Shift, range.To, numeric: true) is { } high)
            {
                Add(Kind.Match, $"{field.Name} {(range.Negated ? "!= " : string.Empty)}{low}-{high}");
            }
            else
            {
                Unprintable(Kind.Match, range.ToString());
            }

            return;
        }

        if (_operands.Name(range.Left) is { } name && NftOperandTypes.Of(range.Left) is [var type]
            && NftValueText.Format(type, range.From, numeric: true) is { } from && NftValueText.Format(type, range.To, numeric: true) is { } to)
        {
            Add(Kind.Match, $"{name} {(range.Negated ? "!= " : string.Empty)}{from}-{to}");
            return;
        }

        Unprintable(Kind.Match, range.ToString());
    }

    private void Lookup(NftLookupStatement lookup)
    {
        if (lookup.Left is MaskedOperand masked && IsBitField(masked))
        {
            BitFieldLookup(lookup, masked);
            return;
        }

        string? set = null;
        if (_operands.Name(lookup.Left) is { } subject)
        {
            if (!NftSetNames.IsAnonymous(lookup.SetName))
            {
                set = "@" + lookup.SetName;
            }
            else if (lookup.Contents is null)
            {
                _problems.Add($"the elements of anonymous set {lookup.SetName} could not be read");
            }
            else
            {
                set = _sets.Inline(lookup.Contents, NftOperandTypes.Of(lookup.Left));
            }

            if (set is not null)
            {
                if (lookup.Left is PayloadOperand { Base: NftPayloadBase.Transport, Offset: 0, Size: 1, TransportProtocol: 1 or 58 }
                    && lookup.Contents is { Set.IsInterval: false } types
                    && types.Elements.Where(e => e.Key.Length == 1).Select(e => e.Key[0]).DefaultIfEmpty().Min() is var first)
                {
                    _dependencies.IcmpSet(first);
                }

                // A verdict map is a condition too: where it decides, the NAT statement is not reached.
                Add(Kind.Match, lookup.IsVerdictMap ? $"{subject} vmap {set}" : $"{subject} {(lookup.Negated ? "!= " : string.Empty)}{set}");
                return;
            }
        }

        Unprintable(Kind.Match, lookup.ToString());
    }

    /// <summary>
    /// A set looked up by a bit field (`ip dscp { cs1, af11 }`): the kernel's elements are the field's values
    /// shifted to where the field sits; nft shifts them back (binop_adjust). Interval sets are left unknown.
    /// </summary>
    private void BitFieldLookup(NftLookupStatement lookup, MaskedOperand masked)
    {
        if (_operands.BitField(masked) is { } field)
        {
            string? set = null;
            if (!NftSetNames.IsAnonymous(lookup.SetName))
            {
                set = "@" + lookup.SetName;
            }
            else if (lookup.Contents is { Set.IsInterval: false } contents && contents.Elements.All(e => e.Key.Length is > 0 and <= 8))
            {
                var shifted = contents with
                {
                    Elements = contents.Elements.Select(e => e with { Key = ShiftedKey(e.Key, field.Shift, field.Type.Size) }).ToList(),
                };
                set = shifted.Elements.All(e => e.Key.Length == field.Type.Size) ? _sets.Inline(shifted, [field.Type]) : null;
            }

            if (set is not null)
            {
                Add(Kind.Match, lookup.IsVerdictMap ? $"{field.Name} vmap {set}" : $"{field.Name} {(lookup.Negated ? "!= " : string.Empty)}{set}");
                return;
            }
        }
        Unprintable(Kind.Match, lookup.ToString());
    }

    /// <summary>A masked extension header, or a masked header load nft narrows to a bit field (payload_expr_trim).</summary>
    private static bool IsBitField(MaskedOperand masked) =>
        masked.Source is ExthdrOperand || (masked.Source is PayloadOperand payload && NftPayloadBitFields.Of(payload, masked.Mask) is not null);

    /// <summary>A set key shifted down by <paramref name="shift"/> bits into <paramref name="size"/> big-endian bytes; empty when it does not fit.</summary>
    private static byte[] ShiftedKey(byte[] key, int shift, int size)
    {
        ulong number = NftValueText.BigEndian(key) >> shift;
        if (size < 8 && number >> (size * 8) != 0)
        {
            return [];
        }

        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, number);
        return bytes[(8 - size)..];
    }

    private void Nat(NftNatStatement statement)
    {
        var target = _analysis.TargetOf(statement);
        if (_nat.Print(target, _analysis.Rule.Family == NfProto.Inet) is { } printed)
        {
            _lastNat = printed;
            Add(Kind.Nat, printed.Text);
            return;
        }

        _lastNat = null;
        Unprintable(Kind.Nat, statement.ToString());
    }

    private enum Kind
    {
        Match,
        Counter,
        Verdict,
        Nat,
        Other,
    }

    private sealed record Printed(Kind Kind, string Text);
}
