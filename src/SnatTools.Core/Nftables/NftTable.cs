using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>An nf_tables table as NFT_MSG_NEWTABLE describes it.</summary>
public sealed record NftTable(byte Family, string Name, ulong Handle, uint Flags, uint Use)
{
    public string FamilyName => NfProto.Name(Family);

    public static NftTable Decode(in NetlinkMessage message)
    {
        byte family = message.NfGenMsg.Family;
        string? name = null;
        ulong handle = 0;
        uint flags = 0, use = 0;
        foreach (var attribute in message.NfAttributes)
        {
            switch (attribute.Type)
            {
                case NftaTable.Name: name = attribute.GetString(); break;
                case NftaTable.Handle: handle = attribute.GetBe64(); break;
                case NftaTable.Flags: flags = attribute.GetBe32(); break;
                case NftaTable.Use: use = attribute.GetBe32(); break;
            }
        }

        return new NftTable(family, name ?? throw new NetlinkDecodeException("NEWTABLE without NFTA_TABLE_NAME."), handle, flags, use);
    }

    public override string ToString() => $"table {FamilyName} {Name}";
}
