namespace SnatTools.Core.Nftables.Expressions;

/// <summary>target: an x_tables target (-j MASQUERADE, -j SNAT, -j MARK, ...) inside an nf_tables rule.</summary>
public sealed class TargetExpression : CompatExpression
{
    public const string TypeName = "target";

    private TargetExpression(string extension, uint revision, byte[] info, ushort[]? layout, byte[]? raw)
        : base(extension, revision, info, layout, raw)
    {
    }

    public TargetExpression(string extension, uint revision, byte[] info)
        : this(extension, revision, info, null, null)
    {
    }

    public override string Name => TypeName;

    public static TargetExpression Decode(byte[] data)
    {
        var (name, revision, info, layout) = DecodeParts(TypeName, data);
        return new TargetExpression(name, revision, info, layout, data);
    }

    /// <summary>The same target with another info blob (same length), attribute order kept.</summary>
    public TargetExpression WithInfo(byte[] info) => new(Extension, Revision, info, (ushort[])[.. Layout], null);
}
