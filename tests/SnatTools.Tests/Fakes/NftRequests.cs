using System.Buffers.Binary;
using System.Text;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;

namespace SnatTools.Tests.Fakes;

/// <summary>What a request to the fake kernel asks for, so scripts can pick the ones they answer.</summary>
public static class NftRequests
{
    public static bool Is(this NetlinkDatagram request, byte nftMessage) =>
        request.Messages.Count > 0 && request.Messages[0].Type == NftMessage.Type(nftMessage);

    public static bool IsDump(this NetlinkDatagram request) =>
        request.Messages.Count > 0 && (request.Messages[0].Flags & NetlinkFlags.Dump) == NetlinkFlags.Dump;

    /// <summary>A string attribute of the first message (NUL stripped), or null.</summary>
    public static string? StringAttribute(this NetlinkDatagram request, ushort type) =>
        request.Messages[0].Attributes.FirstOrDefault(a => (a.RawType & NetlinkAttribute.TypeMask) == type).Value is { } value
            ? Encoding.UTF8.GetString(value).TrimEnd('\0')
            : null;

    /// <summary>A be64 attribute of the first message (a rule handle), or null.</summary>
    public static ulong? Be64Attribute(this NetlinkDatagram request, ushort type) =>
        request.Messages[0].Attributes.FirstOrDefault(a => (a.RawType & NetlinkAttribute.TypeMask) == type).Value is { Length: 8 } value
            ? BinaryPrimitives.ReadUInt64BigEndian(value)
            : null;

    /// <summary>The GETRULE dump of one chain.</summary>
    public static bool IsRuleDumpOf(this NetlinkDatagram request, string chain) =>
        request.Is(NftMessage.GetRule) && request.IsDump() && request.StringAttribute(NftaRule.Chain) == chain;

    /// <summary>The GETRULE lookup of one rule by handle (not a dump), with the handle.</summary>
    public static bool IsRuleLookup(this NetlinkDatagram request, out ulong handle)
    {
        handle = 0;
        if (!request.Is(NftMessage.GetRule) || request.IsDump() || request.Be64Attribute(NftaRule.Handle) is not { } h)
        {
            return false;
        }

        handle = h;
        return true;
    }

    /// <summary>The GETGEN the batch writer sends right after a batch to collect its replies (no ACK asked).</summary>
    public static bool IsSyncGeneration(this NetlinkDatagram request) =>
        request.Is(NftMessage.GetGen) && (request.Messages[0].Flags & NetlinkFlags.Ack) == 0;

    /// <summary>A GETGEN lookup (with ACK), as readers send before and after reading.</summary>
    public static bool IsGenerationLookup(this NetlinkDatagram request) =>
        request.Is(NftMessage.GetGen) && (request.Messages[0].Flags & NetlinkFlags.Ack) != 0;

    /// <summary>The generation a GETGEN call was answered with (NFTA_GEN_ID of its NEWGEN reply).</summary>
    public static uint AnsweredGeneration(this NetlinkCall getGen) =>
        BinaryPrimitives.ReadUInt32BigEndian(new NetlinkDatagram(getGen.Replies[0]).Messages[0].Attributes
            .Single(a => (a.RawType & NetlinkAttribute.TypeMask) == NftaGen.Id).Value);
}
