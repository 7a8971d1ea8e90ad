using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>An nf_tables set or map: its key and data types (nft's datatype numbers) and flags.</summary>
public sealed record NftSet(byte Family, string Table, string Name, uint Flags, uint KeyType, uint KeyLength, uint? DataType, uint? DataLength)
{
    /// <summary>NFT_DATA_VERDICT: the data type of a verdict map.</summary>
    public const uint VerdictDataType = 0xffffff00;

    public bool IsAnonymous => (Flags & NftaSet.FlagAnonymous) != 0;

    public bool IsInterval => (Flags & NftaSet.FlagInterval) != 0;

    public bool IsMap => (Flags & NftaSet.FlagMap) != 0;

    public bool IsVerdictMap => IsMap && DataType == VerdictDataType;

    public static NftSet Decode(in NetlinkMessage message)
    {
        byte family = message.NfGenMsg.Family;
        string? table = null, name = null;
        uint flags = 0, keyType = 0, keyLength = 0;
        uint? dataType = null, dataLength = null;
        foreach (var attribute in message.NfAttributes)
        {
            switch (attribute.Type)
            {
                case NftaSet.Table: table = attribute.GetString(); break;
                case NftaSet.Name: name = attribute.GetString(); break;
                case NftaSet.Flags: flags = attribute.GetBe32(); break;
                case NftaSet.KeyType: keyType = attribute.GetBe32(); break;
                case NftaSet.KeyLen: keyLength = attribute.GetBe32(); break;
                case NftaSet.DataType: dataType = attribute.GetBe32(); break;
                case NftaSet.DataLen: dataLength = attribute.GetBe32(); break;
            }
        }

        return new NftSet(family, table ?? string.Empty, name ?? throw new NetlinkDecodeException("NEWSET without NFTA_SET_NAME."), flags, keyType, keyLength, dataType, dataLength);
    }
}
