using System.Buffers.Binary;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>Routing data of the packet (rt load): NFT_RT_* <paramref name="Key"/> (classid 0, nexthop4 1, nexthop6 2, tcpmss 3, xfrm 4).</summary>
public sealed record RtOperand(uint Key) : NftOperand
{
    public const uint ClassId = 0;
    public const uint NextHop4 = 1;
    public const uint NextHop6 = 2;
    public const uint TcpMss = 3;
    public const uint Xfrm = 4;

    public override int Length => Key switch { NextHop6 => 16, TcpMss => 2, Xfrm => 1, _ => 4 };

    /// <summary>The register and operand of an rt load kept as a raw expression (NFTA_RT_DREG 1, NFTA_RT_KEY 2, be32); null when malformed.</summary>
    public static (uint Register, RtOperand Operand)? Load(UnknownExpression expression)
    {
        if (expression.Name != "rt")
        {
            return null;
        }

        try
        {
            uint? register = null, key = null;
            foreach (var attribute in new AttributeReader(expression.Raw.Span))
            {
                if (attribute.Payload.Length != 4)
                {
                    return null;
                }

                uint value = BinaryPrimitives.ReadUInt32BigEndian(attribute.Payload);
                switch (attribute.Type)
                {
                    case 1: register = value; break;
                    case 2: key = value; break;
                    default: return null;
                }
            }

            return register is { } r && key is { } k ? (r, new RtOperand(k)) : null;
        }
        catch (NetlinkDecodeException)
        {
            return null;
        }
    }

    public override string ToString() => $"rt {Key}";
}
