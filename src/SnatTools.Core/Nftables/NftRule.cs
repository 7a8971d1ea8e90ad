using System.Text;
using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables;

/// <summary>
/// An nf_tables rule as NFT_MSG_NEWRULE describes it: where it lives, its handle, its expressions
/// (typed, each keeping its bytes), its user data (the comment) and the 16-bit generation the
/// dump carried in nfgenmsg.res_id.
/// </summary>
public sealed class NftRule
{
    /// <summary>NFTNL_UDATA_RULE_COMMENT (libnftnl udata.h): the TLV type nft and iptables-nft store comments under.</summary>
    public const byte UserDataComment = 0;

    public NftRule(byte family, string table, string chain, ulong handle, ulong? position, IReadOnlyList<Expression> expressions, byte[]? userData, ushort generation16)
    {
        Family = family;
        Table = table;
        Chain = chain;
        Handle = handle;
        Position = position;
        Expressions = expressions;
        UserData = userData;
        Generation16 = generation16;
    }

    public byte Family { get; }

    public string Table { get; }

    public string Chain { get; }

    public ulong Handle { get; }

    /// <summary>NFTA_RULE_POSITION: the handle of the rule before this one, when the kernel sent it.</summary>
    public ulong? Position { get; }

    public IReadOnlyList<Expression> Expressions { get; }

    /// <summary>NFTA_RULE_USERDATA as sent (libnftnl TLVs: type, length, value).</summary>
    public byte[]? UserData { get; }

    /// <summary>The low 16 bits of the ruleset generation this dump came from (nfgenmsg.res_id).</summary>
    public ushort Generation16 { get; }

    /// <summary>The comment stored in the user data (nft `comment "..."`, newer iptables-nft), or null.</summary>
    public string? Comment => UserData is null ? null : ReadComment(UserData);

    /// <summary>True when some expression is not understood (kept as <see cref="UnknownExpression"/>).</summary>
    public bool HasUnknown => Expressions.Any(e => e is UnknownExpression);

    public static NftRule Decode(in NetlinkMessage message)
    {
        var header = message.NfGenMsg;
        string? table = null, chain = null;
        ulong? handle = null, position = null;
        byte[]? userData = null;
        var expressions = new List<Expression>();
        foreach (var attribute in message.NfAttributes)
        {
            switch (attribute.Type)
            {
                case NftaRule.Table: table = attribute.GetString(); break;
                case NftaRule.Chain: chain = attribute.GetString(); break;
                case NftaRule.Handle: handle = attribute.GetBe64(); break;
                case NftaRule.Position: position = attribute.GetBe64(); break;
                case NftaRule.UserData: userData = attribute.GetBytes(); break;
                case NftaRule.Expressions:
                    foreach (var element in attribute.GetNested())
                    {
                        expressions.Add(DecodeExpression(element.Payload));
                    }

                    break;
            }
        }

        return new NftRule(
            header.Family,
            table ?? throw new NetlinkDecodeException("NEWRULE without NFTA_RULE_TABLE."),
            chain ?? throw new NetlinkDecodeException("NEWRULE without NFTA_RULE_CHAIN."),
            handle ?? throw new NetlinkDecodeException("NEWRULE without NFTA_RULE_HANDLE."),
            position,
            expressions,
            userData,
            header.ResourceId);
    }

    private static Expression DecodeExpression(ReadOnlySpan<byte> element)
    {
        string? name = null;
        byte[] data = [];
        foreach (var attribute in new AttributeReader(element))
        {
            switch (attribute.Type)
            {
                case NftaExpr.Name: name = attribute.GetString(); break;
                case NftaExpr.Data: data = attribute.GetBytes(); break;
            }
        }

        return ExpressionRegistry.Decode(name ?? throw new NetlinkDecodeException("expression without NFTA_EXPR_NAME."), data);
    }

    /// <summary>Reads the comment TLV (type 0, NUL-terminated) from libnftnl user data.</summary>
    public static string? ReadComment(ReadOnlySpan<byte> userData)
    {
        while (userData.Length >= 2)
        {
            byte type = userData[0];
            int length = userData[1];
            if (2 + length > userData.Length)
            {
                return null;
            }

            var value = userData.Slice(2, length);
            if (type == UserDataComment)
            {
                int end = value.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
            }

            userData = userData[(2 + length)..];
        }

        return null;
    }

    /// <summary>
    /// The rule's expressions with every source-NAT expression given <paramref name="flags"/> and
    /// nothing else changed: what Set-SnatRule writes back (NEWRULE with NLM_F_REPLACE and this
    /// handle). masq and nat keep their registers; an x_tables MASQUERADE/SNAT target keeps its
    /// struct with only the flags word changed, so iptables-nft still reads it as its own.
    /// </summary>
    public IReadOnlyList<Expression> ExpressionsWithNatFlags(NatRangeFlags flags) =>
        Expressions.Select(e => e switch
        {
            MasqExpression masq => masq.WithFlags(flags),
            NatExpression { IsSnat: true } nat => nat.WithFlags(flags),
            TargetExpression target when XtNatTarget.TryDecode(target.Extension, target.Revision, target.Info, Family == NfProto.IPv6) is { } xt
                => target.WithInfo(xt.InfoWithFlags(flags)),
            _ => NftSendBack.ForSending(e),
        }).ToArray();

    /// <summary>
    /// Writes the attributes of a NEWRULE message for this rule: table, chain, handle, the given
    /// expressions, the compat info x_tables matches need, and the user data unchanged.
    /// </summary>
    public void EncodeAttributes(NetlinkWriter writer, IReadOnlyList<Expression> expressions, NftRuleCompat? compat)
    {
        writer.PutString(NftaRule.Table, Table);
        writer.PutString(NftaRule.Chain, Chain);
        writer.PutBe64(NftaRule.Handle, Handle);
        int list = writer.BeginNested(NftaRule.Expressions);
        foreach (var expression in expressions)
        {
            expression.Encode(writer);
        }

        writer.EndNested(list);
        if (compat is not null)
        {
            int nest = writer.BeginNested(NftaRule.Compat);
            writer.PutBe32(NftaRuleCompat.Proto, compat.Protocol);
            writer.PutBe32(NftaRuleCompat.Flags, compat.Flags);
            writer.EndNested(nest);
        }

        if (UserData is not null)
        {
            writer.PutAttribute(NftaRule.UserData, UserData);
        }
    }

    public override string ToString() =>
        $"{NfProto.Name(Family)} {Table} {Chain} {Handle}{(Position is { } p ? $" {p}" : string.Empty)}{Environment.NewLine}  " +
        string.Join(Environment.NewLine + "  ", Expressions);
}
