using System.Text;
using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Lab;

/// <summary>
/// Writes the lab's Docker-style rule, `-t nat -A POSTROUTING -s &lt;clients&gt; ! -o docker0 -j MASQUERADE`,
/// in exactly the form iptables-nft 1.8 writes it: table ip nat, base chain POSTROUTING (nat,
/// hook postrouting, priority 100), and meta oifname / cmp neq, payload saddr / cmp eq,
/// counter and the x_tables MASQUERADE target (rev 0, struct nf_nat_ipv4_multi_range_compat).
/// So iptables-save in the lab shows Docker's rule, and Get-SnatRule reads it as iptables-nft's.
/// </summary>
internal static class LabMasqueradeRule
{
    private const uint NfIpPriNatSrc = 100; // include/uapi/linux/netfilter_ipv4.h
    private const uint NfAccept = 1;

    public static void AddTableChainAndRule(NftBatch batch, string outInterfaceExcluded, byte[] sourcePrefix, LabMasqueradeMode mode)
    {
        var w = batch.BeginMessage(NftMessage.NewTable, NfProto.IPv4, NetlinkFlags.Create);
        w.PutString(NftaTable.Name, "nat");
        w.PutBe32(NftaTable.Flags, 0);
        batch.EndMessage();

        w = batch.BeginMessage(NftMessage.NewChain, NfProto.IPv4, NetlinkFlags.Create);
        w.PutString(NftaChain.Table, "nat");
        w.PutString(NftaChain.Name, "POSTROUTING");
        int hook = w.BeginNested(NftaChain.Hook);
        w.PutBe32(NftaHook.HookNum, NfInetHook.PostRouting);
        w.PutBe32(NftaHook.Priority, NfIpPriNatSrc);
        w.EndNested(hook);
        w.PutBe32(NftaChain.Policy, NfAccept);
        w.PutString(NftaChain.Type, "nat");
        batch.EndMessage();

        // -s <prefix>: iptables-nft compares byte-aligned prefixes without a bitwise mask.
        var masquerade = XtNatTarget.Create(
            XtNatTarget.Masquerade, 0, XtNatLayout.MultiRangeCompat, new NatRange((NatRangeFlags)mode, null, null, 0, 0), isIPv6: false);
        Expression[] expressions =
        [
            MetaExpression.Load(NftMetaKey.OifName, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Neq, Encoding.ASCII.GetBytes(outInterfaceExcluded + "\0")),
            PayloadExpression.Load(NftPayloadBase.Network, 12, (uint)sourcePrefix.Length, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, sourcePrefix),
            new CounterExpression(packets: 0, bytes: 0),
            new TargetExpression(XtNatTarget.Masquerade, 0, masquerade.Encode()),
        ];

        w = batch.BeginMessage(NftMessage.NewRule, NfProto.IPv4, NetlinkFlags.Create | NetlinkFlags.Append);
        w.PutString(NftaRule.Table, "nat");
        w.PutString(NftaRule.Chain, "POSTROUTING");
        int list = w.BeginNested(NftaRule.Expressions);
        foreach (var expression in expressions)
        {
            expression.Encode(w);
        }

        w.EndNested(list);
        int compat = w.BeginNested(NftaRule.Compat);
        w.PutBe32(NftaRuleCompat.Proto, 0);
        w.PutBe32(NftaRuleCompat.Flags, 0);
        w.EndNested(compat);
        batch.EndMessage();
    }
}
