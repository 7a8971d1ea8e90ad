using System.Buffers.Binary;
using System.Net;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables.Matches;

namespace SnatTools.Core.Xtables;

/// <summary>
/// Turns the expressions iptables-nft wrote back into an <see cref="IptablesRule"/>, the way
/// iptables-nft 1.8.9 itself does for iptables-save (iptables/nft-shared.c
/// nft_rule_to_iptables_command_state, nft-ipv4.c / nft-ipv6.c parse_meta and parse_payload). It
/// starts from the shared register analysis (<see cref="NftRuleAnalyser"/>): a comparison of a
/// header field, interface or protocol becomes -s/-d/-i/-o/-p, a tcp/udp port test or a mark
/// match; x_tables match and target expressions are decoded from their blobs; a comment in the
/// rule's user data becomes a trailing -m comment. Whatever iptables' parser would ignore, or this
/// one cannot express, is listed in <see cref="IptablesRule.Problems"/>.
/// </summary>
public static class IptablesNftParser
{
    public static IptablesRule Parse(NftRule rule)
    {
        bool ipv6 = rule.Family == NfProto.IPv6;
        var result = new IptablesRule(ipv6);
        TcpUdpMatchSlot? ports = null;

        foreach (var statement in NftRuleAnalyser.Analyse(rule).Statements)
        {
            switch (statement)
            {
                case NftCounterStatement counter:
                    result.Packets = counter.Packets;
                    result.Bytes = counter.Bytes;
                    break;
                case NftComparison comparison:
                    ParseCmp(result, comparison, ref ports);
                    break;
                case NftRangeMatch range when range.Left is PayloadOperand { Base: NftPayloadBase.Transport } payload:
                    ParseRange(result, payload, range, ref ports);
                    break;
                case NftVerdictStatement verdict:
                    ParseVerdict(result, verdict.Verdict);
                    break;
                case NftOtherStatement { Expression: MatchExpression match }:
                    var decoded = XtMatchRegistry.Decode(match.Extension, match.Revision, match.Info);
                    result.Matches.Add(decoded);
                    if (!decoded.IsDecoded)
                    {
                        result.Problems.Add($"match {match.Extension} rev {match.Revision} is not decoded");
                    }

                    break;
                case NftOtherStatement { Expression: TargetExpression target }:
                    result.Jump = target.Extension;
                    result.NatTarget = XtNatTarget.TryDecode(target.Extension, target.Revision, target.Info, ipv6);
                    if (result.NatTarget is null)
                    {
                        result.Problems.Add($"target {target.Extension} rev {target.Revision} is not decoded");
                    }

                    break;
                case NftOtherStatement { Expression.Name: "limit" } limit when NativeLimit(limit.Expression.Raw.Span) is { } limitMatch:
                    result.Matches.Add(limitMatch);
                    result.NativeMatchExpressions.Add(limit.Expression);
                    break;
                case NftOtherStatement other:
                    result.Problems.Add($"expression {other.Expression} is not part of what iptables-nft writes");
                    break;
                default:
                    result.Problems.Add($"{statement} is not part of what iptables-nft writes");
                    break;
            }
        }

        if (rule.Comment is { } comment)
        {
            result.Matches.Add(new CommentMatch(0, System.Text.Encoding.UTF8.GetBytes(comment)));
        }

        if (ports is not null)
        {
            result.Matches[ports.Index] = ports.Match;
        }

        return result;
    }

    /// <summary>
    /// -m limit as iptables-nft 1.8.9 writes it (nft.c add_nft_limit: a native limit in packets,
    /// no flags) and reads it back (nft-shared.c nft_parse_limit); any other limit is not its own.
    /// </summary>
    private static LimitMatch? NativeLimit(ReadOnlySpan<byte> attributes)
    {
        ulong? rate = null, unit = null;
        uint burst = 0, type = 0, flags = 0;
        foreach (var attribute in new Netlink.AttributeReader(attributes))
        {
            switch (attribute.Type)
            {
                case 1 when attribute.Payload.Length == 8: rate = attribute.GetBe64(); break;   // NFTA_LIMIT_RATE
                case 2 when attribute.Payload.Length == 8: unit = attribute.GetBe64(); break;   // NFTA_LIMIT_UNIT
                case 3 when attribute.Payload.Length == 4: burst = attribute.GetBe32(); break;  // NFTA_LIMIT_BURST
                case 4 when attribute.Payload.Length == 4: type = attribute.GetBe32(); break;   // NFTA_LIMIT_TYPE (NFT_LIMIT_PKTS 0)
                case 5 when attribute.Payload.Length == 4: flags = attribute.GetBe32(); break;  // NFTA_LIMIT_FLAGS (NFT_LIMIT_F_INV 1)
            }
        }

        return rate is { } r && unit is { } u && type == 0 && flags == 0 ? LimitMatch.FromNative(r, u, burst) : null;
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

    private static void ParseCmp(IptablesRule rule, NftComparison cmp, ref TcpUdpMatchSlot? ports)
    {
        bool inverted = cmp.Op == NftCmpOp.Neq;
        var data = cmp.Value;
        var (operand, mask) = cmp.Left is MaskedOperand masked ? (masked.Source, masked.Mask) : (cmp.Left, null);
        switch (operand)
        {
            case MetaOperand meta:
                switch (meta.Key)
                {
                    case NftMetaKey.L4Proto when data.Length >= 1:
                        rule.Protocol = data[0];
                        rule.ProtocolInverted = inverted;
                        return;
                    case NftMetaKey.IifName:
                        (rule.InInterface, bool invalidIn) = InterfaceText(data);
                        rule.InInterfaceInverted = inverted || invalidIn;
                        return;
                    case NftMetaKey.OifName:
                        (rule.OutInterface, bool invalidOut) = InterfaceText(data);
                        rule.OutInterfaceInverted = inverted || invalidOut;
                        return;
                    case NftMetaKey.Mark when data.Length == 4:
                        uint mark = BinaryPrimitives.ReadUInt32LittleEndian(data);
                        uint markMask = mask is { Length: >= 4 } ? BinaryPrimitives.ReadUInt32LittleEndian(mask) : uint.MaxValue;
                        rule.Matches.Add(new MarkMatch(1, [], mark, markMask, inverted));
                        return;
                }

                break;
            case PayloadOperand { Base: NftPayloadBase.Network } payload:
                if (ParseNetworkPayload(rule, payload, mask, cmp, inverted))
                {
                    return;
                }

                break;
            case PayloadOperand { Base: NftPayloadBase.Transport } payload:
                if (ParseTransportPayload(rule, payload, mask, cmp, ref ports))
                {
                    return;
                }

                break;
        }

        rule.Problems.Add($"{cmp} is not something iptables-nft parses");
    }

    private static bool ParseNetworkPayload(IptablesRule rule, PayloadOperand payload, byte[]? bitwiseMask, NftComparison cmp, bool inverted)
    {
        int addressLength = NetworkHeader.AddressLength(rule.IsIPv6);
        var field = NetworkHeader.FieldAt(rule.IsIPv6, payload.Offset);
        switch (field)
        {
            case NetworkField.SourceAddress or NetworkField.DestinationAddress:
                var address = new byte[addressLength];
                cmp.Value.AsSpan(0, Math.Min(cmp.Value.Length, addressLength)).CopyTo(address);
                var mask = new byte[addressLength];
                if (bitwiseMask is not null)
                {
                    bitwiseMask.AsSpan(0, Math.Min(bitwiseMask.Length, addressLength)).CopyTo(mask);
                }
                else
                {
                    mask.AsSpan(0, Math.Min(payload.Size, addressLength)).Fill(0xff);
                }

                if (field == NetworkField.SourceAddress)
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
            case NetworkField.Protocol when cmp.Value.Length >= 1:
                rule.Protocol = cmp.Value[0];
                rule.ProtocolInverted = inverted;
                return true;
            case NetworkField.FragmentOffset:
                // frag_off & 0x1fff: "!= 0" is -f, "== 0" is ! -f (nft-ipv4.c get_frag).
                rule.Fragment = true;
                rule.FragmentInverted = bitwiseMask is not null && cmp.Op == NftCmpOp.Eq;
                return true;
            default:
                return false;
        }
    }

    private static bool ParseTransportPayload(IptablesRule rule, PayloadOperand payload, byte[]? bitwiseMask, NftComparison cmp, ref TcpUdpMatchSlot? ports)
    {
        if (rule.Protocol is not (6 or 17))
        {
            return false;
        }

        var data = cmp.Value;
        var slot = ports ??= NewSlot(rule);
        switch (payload.Offset, data.Length)
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
                byte mask = bitwiseMask is { Length: >= 1 } m ? m[0] : (byte)0xff;
                slot.Match = slot.Match.With(
                    flagMask: mask,
                    flagCompare: data[0],
                    invertFlags: (byte)(slot.Match.InvertFlags | (cmp.Op == NftCmpOp.Neq ? 0x04 : 0)));
                return true;
            default:
                return false;
        }
    }

    private static void ParseRange(IptablesRule rule, PayloadOperand payload, NftRangeMatch range, ref TcpUdpMatchSlot? ports)
    {
        if (rule.Protocol is not (6 or 17) || range.From is not { Length: 2 } from || range.To is not { Length: 2 } to || payload.Offset is not (0 or 2))
        {
            rule.Problems.Add($"{range} is not a port range iptables-nft parses");
            return;
        }

        var slot = ports ??= NewSlot(rule);
        ushort[] values = [BinaryPrimitives.ReadUInt16BigEndian(from), BinaryPrimitives.ReadUInt16BigEndian(to)];
        byte invert = range.Negated ? (payload.Offset == 0 ? (byte)0x01 : (byte)0x02) : (byte)0;
        slot.Match = payload.Offset == 0
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
    /// nft-shared.c parse_ifname: an exact name, or a prefix printed with '+'. The "INVAL/D" sentinel
    /// is iptables-nft's way of writing "! -o +".
    /// </summary>
    private static (string Name, bool Invalid) InterfaceText(byte[] data)
    {
        if (data.Length == 0)
        {
            return (string.Empty, false);
        }

        var name = InterfaceName.Decode(data);
        if (name.Terminated)
        {
            return name.Text == "INVAL/D" ? ("+", true) : (name.Text, false);
        }

        return (name.IsPrefix ? name.Text + "+" : name.Text, false);
    }

    private sealed class TcpUdpMatchSlot(int index, TcpUdpMatch match)
    {
        public int Index { get; } = index;

        public TcpUdpMatch Match { get; set; } = match;
    }
}
