using System.Buffers.Binary;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;

namespace SnatTools.Core.Lab;

/// <summary>
/// Writes the lab's Docker-style rule, `-t nat -A POSTROUTING -s &lt;clients&gt; ! -o docker0 -j MASQUERADE`,
/// in exactly the form iptables-nft 1.8 writes it (captured with strace): table ip nat, base chain
/// POSTROUTING (nat, hook postrouting, priority 100), and a rule of meta oifname / cmp neq,
/// payload saddr / cmp eq, counter and the xt compat target MASQUERADE rev 0 whose info is
/// struct nf_nat_ipv4_multi_range_compat. So iptables-save shows it as Docker's rule would be.
/// </summary>
internal static class LabMasqueradeRule
{
    // uapi linux/netfilter/nf_tables.h
    private const byte MsgNewTable = 0;
    private const byte MsgNewChain = 3;
    private const byte MsgNewRule = 6;
    private const byte NfprotoIpv4 = 2;
    private const ushort TableName = 1;
    private const ushort ChainTable = 1;
    private const ushort ChainName = 3;
    private const ushort ChainHook = 4;
    private const ushort ChainPolicy = 5;
    private const ushort ChainType = 7;
    private const ushort HookNumber = 1;
    private const ushort HookPriority = 2;
    private const ushort RuleTable = 1;
    private const ushort RuleChain = 2;
    private const ushort RuleExpressions = 4;
    private const ushort RuleCompat = 5;
    private const ushort ListElement = 1;
    private const ushort ExprName = 1;
    private const ushort ExprData = 2;
    private const uint NfInetPostRouting = 4;
    private const uint NfAccept = 1;

    public static void AddTableChainAndRule(NftBatch batch, string outInterfaceExcluded, byte[] sourcePrefix, LabMasqueradeMode mode)
    {
        var w = batch.BeginMessage(MsgNewTable, NfprotoIpv4, NetlinkFlags.Create);
        w.PutString(TableName, "nat");
        w.PutBe32(2, 0); // NFTA_TABLE_FLAGS
        batch.EndMessage();

        w = batch.BeginMessage(MsgNewChain, NfprotoIpv4, NetlinkFlags.Create);
        w.PutString(ChainTable, "nat");
        w.PutString(ChainName, "POSTROUTING");
        int hook = w.BeginNested(ChainHook);
        w.PutBe32(HookNumber, NfInetPostRouting);
        w.PutBe32(HookPriority, 100); // NF_IP_PRI_NAT_SRC
        w.EndNested(hook);
        w.PutBe32(ChainPolicy, NfAccept);
        w.PutString(ChainType, "nat");
        batch.EndMessage();

        w = batch.BeginMessage(MsgNewRule, NfprotoIpv4, NetlinkFlags.Create | NetlinkFlags.Append);
        w.PutString(RuleTable, "nat");
        w.PutString(RuleChain, "POSTROUTING");
        int expressions = w.BeginNested(RuleExpressions);

        // ! -o <name>: meta load oifname => reg 1; cmp neq reg 1 "<name>\0"
        Expression(w, "meta", () => { w.PutBe32(2, 7); w.PutBe32(1, 1); });
        byte[] name = [.. System.Text.Encoding.ASCII.GetBytes(outInterfaceExcluded), 0];
        Expression(w, "cmp", () => { w.PutBe32(1, 1); w.PutBe32(2, 1); Data(w, name); });

        // -s <prefix>: byte-aligned prefixes are a plain payload compare of the prefix bytes.
        Expression(w, "payload", () => { w.PutBe32(1, 1); w.PutBe32(2, 1); w.PutBe32(3, 12); w.PutBe32(4, (uint)sourcePrefix.Length); });
        Expression(w, "cmp", () => { w.PutBe32(1, 1); w.PutBe32(2, 0); Data(w, sourcePrefix); });

        Expression(w, "counter", () => { w.PutBe64(1, 0); w.PutBe64(2, 0); });

        // struct nf_nat_ipv4_multi_range_compat, XT_ALIGNed to 24: rangesize = 1, range[0].flags.
        var info = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(info, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(4), (uint)mode);
        Expression(w, "target", () => { w.PutString(1, "MASQUERADE"); w.PutBe32(2, 0); w.PutAttribute(3, info); });
        w.EndNested(expressions);

        int compat = w.BeginNested(RuleCompat);
        w.PutBe32(1, 0); // NFTA_RULE_COMPAT_PROTO
        w.PutBe32(2, 0); // NFTA_RULE_COMPAT_FLAGS
        w.EndNested(compat);
        batch.EndMessage();
    }

    private static void Expression(NetlinkWriter w, string name, Action data)
    {
        int element = w.BeginNested(ListElement);
        w.PutString(ExprName, name);
        int nested = w.BeginNested(ExprData);
        data();
        w.EndNested(nested);
        w.EndNested(element);
    }

    private static void Data(NetlinkWriter w, byte[] value)
    {
        int data = w.BeginNested(3); // NFTA_CMP_DATA
        w.PutAttribute(1, value);    // NFTA_DATA_VALUE
        w.EndNested(data);
    }
}
