using System.Buffers.Binary;
using System.Net;
using System.Text;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables.Matches;

namespace SnatTools.Core.Xtables;

/// <summary>
/// Turns the expressions iptables-nft wrote back into an <see cref="IptablesRule"/>, the way
/// iptables-nft 1.8.9 itself does for iptables-save (iptables/nft-shared.c
/// nft_rule_to_iptables_command_state, nft-ipv4.c / nft-ipv6.c parse_meta and parse_payload):
/// registers remember what was loaded into them; a cmp/range on a register becomes -s/-d/-i/-o/-p,
/// a tcp/udp port match or a mark match; x_tables match and target expressions are decoded from
/// their blobs; a comment in the rule's user data becomes a trailing -m comment. Whatever
/// iptables' parser would ignore, or this one cannot express, is listed in <see cref="IptablesRule.Problems"/>.
/// </summary>
public static class IptablesNftParser
{
    public static IptablesRule Parse(NftRule rule)
    {
        bool ipv6 = rule.Family == NfProto.IPv6;
        var result = new IptablesRule(ipv6);
        var registers = new Dictionary<uint, Register>();
        TcpUdpMatchSlot? ports = null;

        foreach (var expression in rule.Expressions)
        {
            switch (expression)
            {
                case CounterExpression counter:
                    result.Packets = counter.Packets;
                    result.Bytes = counter.Bytes;
                    break;
                case PayloadExpression { IsLoad: true } payload:
                    registers[payload.DestinationRegister!.Value] = Register.Payload(payload.Base, payload.Offset, payload.Length);
                    break;
                case MetaExpression { DestinationRegister: { } destination } meta:
                    registers[destination] = Register.Meta(meta.Key);
                    break;
                case BitwiseExpression bitwise when registers.TryGetValue(bitwise.SourceRegister, out var source) && bitwise.IsMaskXor:
                    registers[bitwise.DestinationRegister] = source with { Mask = bitwise.Mask, Xor = bitwise.Xor };
                    break;
                case CmpExpression cmp when registers.TryGetValue(cmp.SourceRegister, out var register):
                    ParseCmp(result, register, cmp, ref ports);
                    break;
                case RangeExpression range when registers.TryGetValue(range.SourceRegister, out var register)
                                                && register.Kind == RegisterKind.Payload && register.Base == NftPayloadBase.Transport:
                    ParseRange(result, register, range, ref ports);
                    break;
                case ImmediateExpression { Verdict: { } verdict }:
                    ParseVerdict(result, verdict);
                    break;
                case ImmediateExpression immediate:
                    registers[immediate.DestinationRegister] = Register.Immediate(immediate.Data.Value ?? []);
                    break;
                case MatchExpression match:
                    var decoded = XtMatchRegistry.Decode(match.Extension, match.Revision, match.Info);
                    result.Matches.Add(decoded);
                    if (!decoded.IsDecoded)
                    {
                        result.Problems.Add($"match {match.Extension} rev {match.Revision} is not decoded");
                    }

                    break;
                case TargetExpression target:
                    result.Jump = target.Extension;
                    result.NatTarget = XtNatTarget.TryDecode(target.Extension, target.Revision, target.Info, ipv6);
                    if (result.NatTarget is null)
                    {
                        result.Problems.Add($"target {target.Extension} rev {target.Revision} is not decoded");
                    }

                    break;
                default:
                    result.Problems.Add($"expression {expression} is not part of what iptables-nft writes");
                    break;
            }
        }

        if (rule.Comment is { } comment)
        {
            result.Matches.Add(new CommentMatch(0, Encoding.UTF8.GetBytes(comment)));
        }

        if (ports is not null)
        {
            result.Matches[ports.Index] = ports.Match;
        }

        return result;
    }

    private static void ParseVerdict(IptablesRule rule, NftVerdict verdict)
    {
        switch (verdict.Code)
        {
            case NftVerdictCode.Accept: rule.Jump = "ACCEPT"; break;
            case NftVerdictCode.Drop: rule.Jump = "DROP"; break;
            case NftVerdictCode.Return: rule.Jump = "RETURN"; break;
            case NftVerdictCode.Goto: rule.Jump = verdict.Chain; rule.Goto = true; break;
            case NftVerdictCode.Jump: rule.Jump = verdict.Chain; break;
            default: rule.Problems.Add($"verdict {verdict} is not one iptables writes"); break;
        }
    }

    private static void ParseCmp(IptablesRule rule, Register register, CmpExpression cmp, ref TcpUdpMatchSlot? ports)
    {
        bool inverted = cmp.Op == NftCmpOp.Neq;
        var data = cmp.Value;
        switch (register.Kind)
        {
            case RegisterKind.Meta:
                switch (register.Key)
                {
                    case NftMetaKey.L4Proto when data.Length >= 1:
                        rule.Protocol = data[0];
                        rule.ProtocolInverted = inverted;
                        return;
                    case NftMetaKey.IifName:
                        (rule.InInterface, bool invalidIn) = InterfaceName(data);
                        rule.InInterfaceInverted = inverted || invalidIn;
                        return;
                    case NftMetaKey.OifName:
                        (rule.OutInterface, bool invalidOut) = InterfaceName(data);
                        rule.OutInterfaceInverted = inverted || invalidOut;
                        return;
                    case NftMetaKey.Mark when data.Length == 4:
                        uint mark = BinaryPrimitives.ReadUInt32LittleEndian(data);
                        uint mask = register.Mask is { Length: >= 4 } m ? BinaryPrimitives.ReadUInt32LittleEndian(m) : uint.MaxValue;
                        rule.Matches.Add(new MarkMatch(1, [], mark, mask, inverted));
                        return;
                }

                break;
            case RegisterKind.Payload when register.Base == NftPayloadBase.Network:
                if (ParseNetworkPayload(rule, register, cmp, inverted))
                {
                    return;
                }

                break;
            case RegisterKind.Payload when register.Base == NftPayloadBase.Transport:
                if (ParseTransportPayload(rule, register, cmp, ref ports))
                {
                    return;
                }

                break;
        }

        rule.Problems.Add($"{cmp} on {register} is not something iptables-nft parses");
    }

    private static bool ParseNetworkPayload(IptablesRule rule, Register register, CmpExpression cmp, bool inverted)
    {
        int addressLength = rule.IsIPv6 ? 16 : 4;
        (uint source, uint destination, uint protocol) = rule.IsIPv6 ? (8u, 24u, 6u) : (12u, 16u, 9u);
        if (register.Offset == source || register.Offset == destination)
        {
            var address = new byte[addressLength];
            cmp.Value.AsSpan(0, Math.Min(cmp.Value.Length, addressLength)).CopyTo(address);
            var mask = new byte[addressLength];
            if (register.Mask is { } bitwiseMask)
            {
                bitwiseMask.AsSpan(0, Math.Min(bitwiseMask.Length, addressLength)).CopyTo(mask);
            }
            else
            {
                mask.AsSpan(0, (int)Math.Min(register.Length, (uint)addressLength)).Fill(0xff);
            }

            if (register.Offset == source)
            {
                rule.Source = new IPAddress(address);
                rule.SourceMask = new IPAddress(mask);
                rule.SourceInverted = inverted;
            }
            else
            {
                rule.Destination = new IPAddress(address);
                rule.DestinationMask = new IPAddress(mask);
                rule.DestinationInverted = inverted;
            }

            return true;
        }

        if (register.Offset == protocol && cmp.Value.Length >= 1)
        {
            rule.Protocol = cmp.Value[0];
            rule.ProtocolInverted = inverted;
            return true;
        }

        if (!rule.IsIPv6 && register.Offset == 6)
        {
            // frag_off & 0x1fff: "!= 0" is -f, "== 0" is ! -f (nft-ipv4.c get_frag).
            rule.Fragment = true;
            rule.FragmentInverted = register.Mask is not null && cmp.Op == NftCmpOp.Eq;
            return true;
        }

        return false;
    }

    private static bool ParseTransportPayload(IptablesRule rule, Register register, CmpExpression cmp, ref TcpUdpMatchSlot? ports)
    {
        if (rule.Protocol is not (6 or 17))
        {
            return false;
        }

        var data = cmp.Value;
        var slot = ports ??= NewSlot(rule);
        switch (register.Offset, data.Length)
        {
            case (0, 2):
                slot.Match = SinglePort(slot.Match, BinaryPrimitives.ReadUInt16BigEndian(data), -1, cmp.Op);
                return true;
            case (0, 4):
                uint both = BinaryPrimitives.ReadUInt32BigEndian(data);
                slot.Match = SinglePort(slot.Match, (int)(both >> 16), (int)(both & 0xffff), cmp.Op);
                return true;
            case (2, 2):
                slot.Match = SinglePort(slot.Match, -1, BinaryPrimitives.ReadUInt16BigEndian(data), cmp.Op);
                return true;
            case (13, 1) when rule.Protocol == 6:
                byte mask = register.Mask is { Length: >= 1 } m ? m[0] : (byte)0xff;
                slot.Match = slot.Match.With(
                    flagMask: mask,
                    flagCompare: data[0],
                    invertFlags: (byte)(slot.Match.InvertFlags | (cmp.Op == NftCmpOp.Neq ? 0x04 : 0)));
                return true;
            default:
                return false;
        }
    }

    private static void ParseRange(IptablesRule rule, Register register, RangeExpression range, ref TcpUdpMatchSlot? ports)
    {
        if (rule.Protocol is not (6 or 17) || range.From.Value is not { Length: 2 } from || range.To.Value is not { Length: 2 } to || register.Offset is not (0 or 2))
        {
            rule.Problems.Add($"{range} is not a port range iptables-nft parses");
            return;
        }

        var slot = ports ??= NewSlot(rule);
        ushort[] values = [BinaryPrimitives.ReadUInt16BigEndian(from), BinaryPrimitives.ReadUInt16BigEndian(to)];
        byte invert = range.Op == NftRangeOp.Neq ? (register.Offset == 0 ? (byte)0x01 : (byte)0x02) : (byte)0;
        slot.Match = register.Offset == 0
            ? slot.Match.With(sourcePorts: values, invertFlags: (byte)(slot.Match.InvertFlags | invert))
            : slot.Match.With(destinationPorts: values, invertFlags: (byte)(slot.Match.InvertFlags | invert));
    }

    /// <summary>nft-shared.c port_match_single_to_range, for source and/or destination (-1 = absent).</summary>
    private static TcpUdpMatch SinglePort(TcpUdpMatch match, int sport, int dport, uint op)
    {
        var sports = match.SourcePorts.ToArray();
        var dports = match.DestinationPorts.ToArray();
        byte invert = match.InvertFlags;
        Apply(sports, sport, 0x01);
        Apply(dports, dport, 0x02);
        return match.With(sports, dports, invert);

        void Apply(ushort[] ports, int port, byte flag)
        {
            if (port < 0)
            {
                return;
            }

            switch (op)
            {
                case NftCmpOp.Neq:
                    invert |= flag;
                    ports[0] = ports[1] = (ushort)port;
                    break;
                case NftCmpOp.Eq:
                    ports[0] = ports[1] = (ushort)port;
                    break;
                case NftCmpOp.Lt:
                    ports[1] = (ushort)Math.Max(port - 1, 1);
                    break;
                case NftCmpOp.Lte:
                    ports[1] = (ushort)port;
                    break;
                case NftCmpOp.Gt:
                    ports[0] = (ushort)Math.Min(port + 1, ushort.MaxValue);
                    break;
                case NftCmpOp.Gte:
                    ports[0] = (ushort)port;
                    break;
            }
        }
    }

    private static TcpUdpMatchSlot NewSlot(IptablesRule rule)
    {
        var match = TcpUdpMatch.Empty(rule.Protocol == 6);
        rule.Matches.Add(match);
        return new TcpUdpMatchSlot(rule.Matches.Count - 1, match);
    }

    /// <summary>
    /// nft-shared.c parse_ifname: a trailing NUL means an exact name; without it the name was a
    /// prefix (iptables "eth+"). The "INVAL/D" sentinel is iptables-nft's way of writing "! -o +".
    /// </summary>
    private static (string Name, bool Invalid) InterfaceName(byte[] data)
    {
        if (data.Length == 0)
        {
            return (string.Empty, false);
        }

        int end = Array.IndexOf(data, (byte)0);
        string name = Encoding.ASCII.GetString(data, 0, end < 0 ? data.Length : end);
        if (end >= 0)
        {
            return name == "INVAL/D" ? ("+", true) : (name, false);
        }

        return (data.Length >= 16 ? name : name + "+", false);
    }

    private sealed class TcpUdpMatchSlot(int index, TcpUdpMatch match)
    {
        public int Index { get; } = index;

        public TcpUdpMatch Match { get; set; } = match;
    }

    private enum RegisterKind
    {
        Meta,
        Payload,
        Immediate,
    }

    private sealed record Register(RegisterKind Kind, uint Key, uint Base, uint Offset, uint Length, byte[]? Value, byte[]? Mask = null, byte[]? Xor = null)
    {
        public static Register Meta(uint key) => new(RegisterKind.Meta, key, 0, 0, 0, null);

        public static Register Payload(uint payloadBase, uint offset, uint length) => new(RegisterKind.Payload, 0, payloadBase, offset, length, null);

        public static Register Immediate(byte[] value) => new(RegisterKind.Immediate, 0, 0, 0, 0, value);

        public override string ToString() => Kind switch
        {
            RegisterKind.Meta => $"meta {MetaExpression.KeyName(Key)}",
            RegisterKind.Payload => $"payload {PayloadExpression.BaseName(Base)}+{Offset}/{Length}",
            _ => "immediate",
        };
    }
}
