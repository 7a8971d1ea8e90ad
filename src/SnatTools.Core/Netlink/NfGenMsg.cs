using System.Buffers.Binary;

namespace SnatTools.Core.Netlink;

/// <summary>struct nfgenmsg (uapi linux/netfilter/nfnetlink.h): family, version, res_id (big-endian).</summary>
public readonly record struct NfGenMsg(byte Family, byte Version, ushort ResourceId)
{
    public const int Length = 4;

    public static NfGenMsg Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Length)
        {
            throw new NetlinkDecodeException($"nfgenmsg needs 4 bytes, the message has {payload.Length}.");
        }

        return new NfGenMsg(payload[0], payload[1], BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
    }
}
