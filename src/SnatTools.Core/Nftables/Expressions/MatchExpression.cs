namespace SnatTools.Core.Nftables.Expressions;

/// <summary>match: an x_tables match (-m comment, -m addrtype, -m conntrack, ...) inside an nf_tables rule.</summary>
public sealed class MatchExpression : CompatExpression
{
    public const string TypeName = "match";

    private MatchExpression(string extension, uint revision, byte[] info, ushort[]? layout, byte[]? raw)
        : base(extension, revision, info, layout, raw)
    {
    }

    public MatchExpression(string extension, uint revision, byte[] info)
        : this(extension, revision, info, null, null)
    {
    }

    public override string Name => TypeName;

    public static MatchExpression Decode(byte[] data)
    {
        var (name, revision, info, layout) = DecodeParts(TypeName, data);
        return new MatchExpression(name, revision, info, layout, data);
    }
}
