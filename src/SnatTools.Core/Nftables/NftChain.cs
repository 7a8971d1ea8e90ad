using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>
/// An nf_tables chain. Base chains carry their hook, priority and type (filter, nat, route);
/// regular chains only their name and handle.
/// </summary>
public sealed record NftChain(byte Family, string Table, string Name, ulong Handle, uint? Hook, int? Priority, string? Type, uint? Policy)
{
    public bool IsBase => Hook is not null;

    /// <summary>
    /// A nat base chain on postrouting or input: the only places the kernel lets masq/snat (and
    /// xt MASQUERADE/SNAT) run, so the roots of the reachability walk.
    /// </summary>
    public bool IsSourceNatRoot => IsBase && Type == "nat" && Hook is NfInetHook.PostRouting or NfInetHook.LocalIn;

    /// <summary>Decodes a NEWCHAIN dump message; <paramref name="baseOnly"/> skips regular chains without allocating.</summary>
    public static NftChain? Decode(in NetlinkMessage message, bool baseOnly)
    {
        if (baseOnly && !HasHook(message))
        {
            return null;
        }

        byte family = message.NfGenMsg.Family;
        string? table = null, name = null, type = null;
        ulong handle = 0;
        uint? hook = null, policy = null;
        int? priority = null;
        foreach (var attribute in message.NfAttributes)
        {
            switch (attribute.Type)
            {
                case NftaChain.Table: table = attribute.GetString(); break;
                case NftaChain.Name: name = attribute.GetString(); break;
                case NftaChain.Handle: handle = attribute.GetBe64(); break;
                case NftaChain.Type: type = attribute.GetString(); break;
                case NftaChain.Policy: policy = attribute.GetBe32(); break;
                case NftaChain.Hook:
                    foreach (var inner in attribute.GetNested())
                    {
                        switch (inner.Type)
                        {
                            case NftaHook.HookNum: hook = inner.GetBe32(); break;
                            case NftaHook.Priority: priority = unchecked((int)inner.GetBe32()); break;
                        }
                    }

                    break;
            }
        }

        return new NftChain(
            family,
            table ?? throw new NetlinkDecodeException("NEWCHAIN without NFTA_CHAIN_TABLE."),
            name ?? throw new NetlinkDecodeException("NEWCHAIN without NFTA_CHAIN_NAME."),
            handle, hook, priority, type, policy);
    }

    private static bool HasHook(in NetlinkMessage message)
    {
        foreach (var attribute in message.NfAttributes)
        {
            if (attribute.Type == NftaChain.Hook)
            {
                return true;
            }
        }

        return false;
    }
}
