using SnatTools.Core.Nftables.Analysis;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>The nft datatypes of what an operand holds (one per part of a concatenation), as the right-hand side is printed.</summary>
internal static class NftOperandTypes
{
    public static IReadOnlyList<NftValueType>? Of(NftOperand operand) => operand switch
    {
        PayloadOperand payload => One(Payload(payload)),
        ExthdrOperand exthdr => One(NftExthdrFields.Of(exthdr)?.Type),
        RtOperand rt => One(rt.Key switch
        {
            RtOperand.ClassId => new NftValueType(NftDataType.Realm, 4, false),
            RtOperand.NextHop4 => NftValueType.Address(false),
            RtOperand.NextHop6 => NftValueType.Address(true),
            RtOperand.TcpMss => NftValueType.HostInteger(2),
            RtOperand.Xfrm => new NftValueType(NftDataType.Boolean, 1, false),
            _ => (NftValueType?)null,
        }),
        MetaOperand meta => One(Meta(meta.Key)),
        CtOperand ct => One(Ct(ct.Key)),
        FibOperand fib => One(fib.Result switch
        {
            FibOperand.ResultAddressType => new NftValueType(NftDataType.FibAddress, 4, false),
            FibOperand.ResultOifName => new NftValueType(NftDataType.IfName, 16, true),
            _ => new NftValueType(NftDataType.IfIndex, 4, false),
        }),
        NumgenOperand or HashOperand => [NftValueType.HostInteger(4)],
        ByteOrderOperand converted => Of(converted.Source)?.Select(t => t.WithBigEndian(converted.ToNetwork)).ToList(),
        MaskedOperand masked => Of(masked.Source),
        ConcatOperand concat => Concat(concat),
        MapOperand map when map.Contents?.Set is { DataType: { } data } => NftValueType.Parts(data),
        _ => null,
    };

    private static IReadOnlyList<NftValueType>? One(NftValueType? type) => type is { } known ? [known] : null;

    private static IReadOnlyList<NftValueType>? Concat(ConcatOperand concat)
    {
        var types = new List<NftValueType>();
        foreach (var part in concat.Parts)
        {
            if (Of(part) is not { Count: 1 } one)
            {
                return null;
            }

            types.Add(one[0]);
        }

        return types;
    }

    private static NftValueType? Payload(PayloadOperand payload)
    {
        if (payload.Base == NftPayloadBase.LinkLayer)
        {
            return payload.Offset is 0 or 6 && payload.Size == 6 ? new NftValueType(NftDataType.LinkLayerAddress, 6, true) : null;
        }

        if (payload.Base == NftPayloadBase.Transport)
        {
            return TransportHeader.FieldOf(payload) is TransportField.SourcePort or TransportField.DestinationPort && NftTransportFields.HasPorts(payload) ? NftValueType.Port
                : NftTransportFields.Of(payload)?.Type ?? NftTransportFields.IcmpType(payload);
        }

        bool ipv6 = payload.NetworkFamily == NfProto.IPv6;
        return NetworkHeader.FieldOf(payload) switch
        {
            NetworkField.SourceAddress or NetworkField.DestinationAddress => NftValueType.Address(ipv6),
            NetworkField.Protocol when payload.Size == 1 => new NftValueType(NftDataType.InetProtocol, 1, true),
            _ => NftNetworkFields.Of(payload)?.Type,
        };
    }

    private static NftValueType? Meta(uint key) => key switch
    {
        NftMetaKey.IifName or NftMetaKey.OifName => new NftValueType(NftDataType.IfName, 16, true),
        NftMetaKey.L4Proto => new NftValueType(NftDataType.InetProtocol, 1, true),
        NftMetaKey.NfProto => new NftValueType(NftDataType.NfProto, 1, true),
        NftMetaKey.Mark => new NftValueType(NftDataType.Mark, 4, false),
        NftMetaKey.SkUid => new NftValueType(NftDataType.Uid, 4, false),
        NftMetaKey.SkGid => new NftValueType(NftDataType.Gid, 4, false),
        NftMetaKey.Iif or NftMetaKey.Oif => new NftValueType(NftDataType.IfIndex, 4, false),
        NftMetaKey.Len or NftMetaKey.Cpu or NftMetaKey.CGroup => NftValueType.HostInteger(4),
        NftMetaKey.Protocol => new NftValueType(NftDataType.EtherType, 2, true),
        NftMetaKey.IifType or NftMetaKey.OifType => new NftValueType(NftDataType.ArpHrd, 2, false),
        NftMetaKey.PktType => new NftValueType(NftDataType.PktType, 1, false),
        NftMetaKey.Priority => new NftValueType(NftDataType.ClassId, 4, false),
        NftMetaKey.IifGroup or NftMetaKey.OifGroup => new NftValueType(NftDataType.DevGroup, 4, false),
        NftMetaKey.RtClassId => new NftValueType(NftDataType.Realm, 4, false),
        NftMetaKey.PRandom => new NftValueType(NftDataType.Integer, 4, true),
        _ => null,
    };

    private static NftValueType? Ct(uint key) => key switch
    {
        NftCtKey.State => new NftValueType(NftDataType.CtState, 4, false),
        NftCtKey.Status => new NftValueType(NftDataType.CtStatus, 4, false),
        NftCtKey.Direction => new NftValueType(NftDataType.CtDirection, 1, true),
        NftCtKey.Mark => new NftValueType(NftDataType.Mark, 4, false),
        NftCtKey.Zone => NftValueType.HostInteger(2),
        NftCtKey.Expiration => new NftValueType(NftDataType.Time, 4, false),
        NftCtKey.Labels => new NftValueType(NftDataType.CtLabel, 16, false),
        NftCtKey.Helper => new NftValueType(NftDataType.String, 16, false),
        NftCtKey.Packets or NftCtKey.Bytes or NftCtKey.AveragePacket => NftValueType.HostInteger(8),
        NftCtKey.EventMask => new NftValueType(NftDataType.CtEventBit, 4, false),
        NftCtKey.SecMark => NftValueType.HostInteger(4),
        NftCtKey.Id => new NftValueType(NftDataType.Integer, 4, true),
        NftCtKey.SourceIp or NftCtKey.DestinationIp => NftValueType.Address(false),
        NftCtKey.SourceIp6 or NftCtKey.DestinationIp6 => NftValueType.Address(true),
        NftCtKey.ProtoSource or NftCtKey.ProtoDestination => NftValueType.Port,
        NftCtKey.L3Protocol => new NftValueType(NftDataType.NfProto, 1, true),
        NftCtKey.Protocol => new NftValueType(NftDataType.InetProtocol, 1, true),
        _ => null,
    };
}
