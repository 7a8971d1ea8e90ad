using System.Globalization;
using System.Text;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// What nft calls the value an operand holds: "ip saddr", "tcp dport", "oifname", "meta mark",
/// "ct original ip daddr", "fib daddr type", "numgen inc mod 2", "jhash ip saddr mod 2 seed 0x1",
/// "ip saddr . th dport". Naming a header field settles its protocol dependencies.
/// </summary>
internal sealed class NftOperandText
{
    private readonly NftDependencies _dependencies;

    public NftOperandText(NftDependencies dependencies) => _dependencies = dependencies;

    /// <summary>The name, or null when this version cannot name the operand.</summary>
    public string? Name(NftOperand operand) => operand switch
    {
        PayloadOperand payload => Payload(payload),
        ExthdrOperand exthdr => Exthdr(exthdr, NftExthdrFields.Of(exthdr)?.Name),
        RtOperand rt => rt.Key switch // rt.c rt_expr_print
        {
            RtOperand.ClassId => "rt classid",
            RtOperand.NextHop4 => "rt ip nexthop",
            RtOperand.NextHop6 => "rt ip6 nexthop",
            RtOperand.TcpMss => "rt mtu",
            RtOperand.Xfrm => "rt ipsec",
            _ => null,
        },
        MetaOperand meta => Meta(meta.Key),
        CtOperand ct => Ct(ct),
        FibOperand fib => Fib(fib),
        NumgenOperand numgen => $"numgen {(numgen.Random ? "random" : "inc")} mod {numgen.Modulus}{Offset(numgen.Offset)}",
        HashOperand { Symmetric: true } hash => $"symhash mod {hash.Modulus}{Offset(hash.Offset)}",
        HashOperand { Source: { } source } hash when Name(source) is { } hashed =>
            $"jhash {hashed} mod {hash.Modulus}{(hash.Seed is { } seed ? $" seed 0x{seed:x}" : string.Empty)}{Offset(hash.Offset)}",
        ByteOrderOperand converted => Name(converted.Source),
        ConcatOperand concat => Concat(concat),
        MaskedOperand masked when masked.Source is not ExthdrOperand && Name(masked.Source) is { } source && NftOperandTypes.Of(masked.Source) is [var type]
                                  && NftValueText.Format(type, masked.Mask) is { } mask => $"{source} & {mask}",
        _ => null,
    };

    /// <summary>
    /// The field a mask narrows a load to, with the shift of its values (`frag frag-off`,
    /// `tcp option mptcp subtype`); null when nft keeps the mask in its text.
    /// </summary>
    public (string Name, NftValueType Type, int Shift)? BitField(MaskedOperand masked)
    {
        if (masked.Xor.AsSpan().IndexOfAnyExcept((byte)0) >= 0)
        {
            return null;
        }

        if (masked.Source is PayloadOperand payload && NftPayloadBitFields.Of(payload, masked.Mask) is { } bits)
        {
            if (payload.Base == NftPayloadBase.Transport)
            {
                return _dependencies.UseTransport() is { } protocol and not "th" ? ($"{protocol} {bits.Token}", bits.Type, bits.Shift) : null;
            }

            _dependencies.UseNetwork();
            return ($"{(payload.NetworkFamily == NfProto.IPv6 ? "ip6" : "ip")} {bits.Token}", bits.Type, bits.Shift);
        }

        if (masked.Source is not ExthdrOperand exthdr || NftExthdrFields.BitField(exthdr, masked.Mask) is not { } field)
        {
            return null;
        }

        return Exthdr(exthdr, field.Name) is { } name ? (name, field.Type, field.Shift) : null;
    }

    /// <summary>An IPv6 extension header settles its `meta nfproto ipv6` dependency (payload.c exthdr_dependency_kill).</summary>
    private string? Exthdr(ExthdrOperand exthdr, string? name)
    {
        if (name is not null && exthdr.Op is ExthdrOperand.OpIpv6)
        {
            _dependencies.UseNetwork();
        }

        return name;
    }

    private static string Offset(uint offset) => offset == 0 ? string.Empty : $" offset {offset.ToString(CultureInfo.InvariantCulture)}";

    private string? Concat(ConcatOperand concat)
    {
        var names = new List<string>();
        foreach (var part in concat.Parts)
        {
            if (Name(part) is not { } name)
            {
                return null;
            }

            names.Add(name);
        }

        return string.Join(" . ", names);
    }

    private string? Payload(PayloadOperand payload)
    {
        if (payload.Base == NftPayloadBase.LinkLayer)
        {
            // proto.c proto_eth: daddr at 0, saddr at 6, 6 bytes each.
            string? ether = (payload.Offset, payload.Size) switch { (0, 6) => "ether daddr", (6, 6) => "ether saddr", _ => null };
            if (ether is not null)
            {
                _dependencies.UseLink();
            }

            return ether;
        }

        if (payload.Base == NftPayloadBase.Transport)
        {
            if (payload.TransportProtocol is 1 or 58 && NftTransportFields.Icmp(payload, _dependencies.IcmpContext) is { } icmp)
            {
                if (_dependencies.UseTransport() is not { } icmpName)
                {
                    return null;
                }

                _dependencies.UseIcmp(icmp.ImpliedType);
                return $"{icmpName} {icmp.Name}";
            }

            string? side = (NftTransportFields.HasPorts(payload) ? TransportHeader.FieldOf(payload) : null) switch
            {
                TransportField.SourcePort => "sport",
                TransportField.DestinationPort => "dport",
                _ => NftTransportFields.Of(payload)?.Name,
            };
            return side is not null && _dependencies.UseTransport() is { } protocol ? $"{protocol} {side}" : null;
        }

        var field = NetworkHeader.FieldOf(payload);
        if (field is NetworkField.SourceAddress or NetworkField.DestinationAddress || (field == NetworkField.Protocol && payload.Size == 1))
        {
            _dependencies.UseNetwork();
            return NetworkHeader.NftName(field.Value, payload.NetworkFamily == NfProto.IPv6);
        }

        if (NftNetworkFields.Of(payload) is { } other)
        {
            _dependencies.UseNetwork();
            return other.Name;
        }

        return null;
    }

    /// <summary>nft prints iif, oif, iifname and oifname without "meta" (meta.c meta_key_is_unqualified).</summary>
    private static string? Meta(uint key) => key switch
    {
        NftMetaKey.IifName => "iifname",
        NftMetaKey.OifName => "oifname",
        NftMetaKey.Iif => "iif",
        NftMetaKey.Oif => "oif",
        NftMetaKey.Mark or NftMetaKey.L4Proto or NftMetaKey.NfProto or NftMetaKey.SkUid or NftMetaKey.SkGid
            or NftMetaKey.Len or NftMetaKey.Cpu or NftMetaKey.CGroup or NftMetaKey.Protocol or NftMetaKey.IifType or NftMetaKey.OifType
            or NftMetaKey.PktType or NftMetaKey.Priority or NftMetaKey.RtClassId => "meta " + MetaExpression.KeyName(key),
        NftMetaKey.PRandom => "meta random",
        NftMetaKey.IifGroup => "iifgroup",
        NftMetaKey.OifGroup => "oifgroup",
        _ => null,
    };

    private static string? Ct(CtOperand ct)
    {
        string? key = ct.Key switch
        {
            NftCtKey.State => "state",
            NftCtKey.Direction => "direction",
            NftCtKey.Status => "status",
            NftCtKey.Mark => "mark",
            NftCtKey.Zone => "zone",
            NftCtKey.Expiration => "expiration",
            NftCtKey.Labels => "label",
            NftCtKey.Helper => "helper",
            NftCtKey.Packets => "packets",
            NftCtKey.Bytes => "bytes",
            NftCtKey.AveragePacket => "avgpkt",
            NftCtKey.EventMask => "event",
            NftCtKey.SecMark => "secmark",
            NftCtKey.Id => "id",
            NftCtKey.SourceIp => "ip saddr",
            NftCtKey.DestinationIp => "ip daddr",
            NftCtKey.SourceIp6 => "ip6 saddr",
            NftCtKey.DestinationIp6 => "ip6 daddr",
            NftCtKey.ProtoSource => "proto-src",
            NftCtKey.ProtoDestination => "proto-dst",
            NftCtKey.L3Protocol => "l3proto",
            NftCtKey.Protocol => "protocol",
            _ => null,
        };
        string? direction = ct.Direction switch
        {
            null => string.Empty,
            0 => "original ",
            1 => "reply ",
            _ => null,
        };
        return key is null || direction is null ? null : $"ct {direction}{key}";
    }

    private static string? Fib(FibOperand fib)
    {
        string? result = fib.Result switch
        {
            FibOperand.ResultOif => "oif",
            FibOperand.ResultOifName => "oifname",
            FibOperand.ResultAddressType => "type",
            _ => null,
        };
        if (result is null)
        {
            return null;
        }

        var text = new StringBuilder("fib ");
        text.Append((fib.Flags & 1) != 0 ? "saddr" : "daddr");
        foreach (var (flag, name) in (ReadOnlySpan<(uint, string)>)[(4, "mark"), (8, "iif"), (16, "oif")])
        {
            if ((fib.Flags & flag) != 0)
            {
                text.Append(" . ").Append(name);
            }
        }

        return text.Append(' ').Append(result).ToString();
    }
}
