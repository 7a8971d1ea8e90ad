using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// nft_compat: an x_tables match or target run inside nf_tables (what iptables-nft writes for
/// -m comment, -j MASQUERADE, ...). The info blob is the x_tables struct, XT_ALIGNed, exactly
/// as iptables-legacy would put it after xt_entry_match/target.
/// </summary>
public abstract class CompatExpression : Expression
{
    private static readonly ushort[] DefaultLayout = [NftaCompat.Name, NftaCompat.Rev, NftaCompat.Info];

    protected CompatExpression(string extension, uint revision, byte[] info, ushort[]? layout, byte[]? raw)
        : base(layout ?? DefaultLayout, raw)
    {
        Extension = extension;
        Revision = revision;
        Info = info;
    }

    /// <summary>The x_tables extension name (MASQUERADE, SNAT, comment, ...).</summary>
    public string Extension { get; }

    public uint Revision { get; }

    /// <summary>NFTA_MATCH_INFO / NFTA_TARGET_INFO: the extension's struct, XT_ALIGNed.</summary>
    public byte[] Info { get; }

    protected static (string Name, uint Revision, byte[] Info, ushort[] Layout) DecodeParts(string expression, byte[] data)
    {
        string? name = null;
        uint? revision = null;
        byte[]? info = null;
        var layout = new List<ushort>(3);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaCompat.Name: name = attribute.GetString(32); break;
                case NftaCompat.Rev: revision = attribute.GetBe32(); break;
                case NftaCompat.Info: info = attribute.GetBytes(); break;
                default: throw Unexpected(expression, attribute.Type);
            }
        }

        return (name ?? throw Missing(expression, "NAME"), revision ?? throw Missing(expression, "REV"), info ?? [], [.. layout]);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaCompat.Name: writer.PutString(rawType, Extension); break;
            case NftaCompat.Rev: writer.PutBe32(rawType, Revision); break;
            case NftaCompat.Info: writer.PutAttribute(rawType, Info); break;
        }
    }

    public override string ToString() => $"[ {Name} name {Extension} rev {Revision} ]";
}
