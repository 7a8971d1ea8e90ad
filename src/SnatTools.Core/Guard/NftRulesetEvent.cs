using System.Buffers.Binary;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;

namespace SnatTools.Core.Guard;

/// <summary>
/// One nf_tables change notification as the guard needs it: who sent the change (the netlink
/// port id the kernel puts in nlmsg_pid), which generation it belongs to (the low 16 bits of the
/// ruleset generation, in nfgenmsg.res_id), the NFT_MSG_* type and the family.
/// </summary>
public readonly record struct NftRulesetEvent(uint PortId, ushort Generation, byte Message, byte Family)
{
    /// <summary>The event in <paramref name="message"/>, or null for anything that is not an nf_tables message.</summary>
    public static NftRulesetEvent? From(in NetlinkMessage message)
    {
        int type = NftMessage.Of(message.Type);
        if (type < 0 || message.Payload.Length < NfGenMsg.Length)
        {
            return null;
        }

        return new NftRulesetEvent(message.PortId, BinaryPrimitives.ReadUInt16BigEndian(message.Payload[2..]), (byte)type, message.Payload[0]);
    }
}
