using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// One nf_tables expression of a rule: its name (NFTA_EXPR_NAME) and its typed attributes.
/// Decoded expressions keep the bytes the kernel sent (<see cref="Raw"/>) and the order of their
/// attributes, so <see cref="EncodeData"/> reproduces those bytes exactly; expressions built in
/// code use the kernel's dump order and, like its dumps, nests without NLA_F_NESTED (the kernel
/// parses nf_tables nests either way). Every type both decodes and encodes: Set-SnatRule writes a
/// rule back as its old expressions with only a flag changed.
/// </summary>
public abstract class Expression
{
    private readonly ushort[] _layout;
    private byte[]? _raw;

    protected Expression(ushort[] layout, byte[]? raw)
    {
        _layout = layout;
        _raw = raw;
    }

    /// <summary>The kernel's name for the expression type (cmp, payload, masq, target, ...).</summary>
    public abstract string Name { get; }

    /// <summary>The NFTA_EXPR_DATA payload: as received, or encoded from the fields when built in code.</summary>
    public ReadOnlyMemory<byte> Raw => _raw ??= EncodeData();

    /// <summary>The attribute types (with their flag bits) in the order they are written.</summary>
    protected IReadOnlyList<ushort> Layout => _layout;

    /// <summary>Encodes the NFTA_EXPR_DATA payload from the typed fields.</summary>
    public byte[] EncodeData()
    {
        var writer = new NetlinkWriter(128);
        WriteData(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the expression as one NFTA_LIST_ELEM of NFTA_RULE_EXPRESSIONS: { NAME, DATA }.</summary>
    public void Encode(NetlinkWriter writer)
    {
        int element = writer.BeginNested(NftaList.Elem);
        writer.PutString(NftaExpr.Name, Name);
        int data = writer.BeginNested(NftaExpr.Data);
        WriteData(writer);
        writer.EndNested(data);
        writer.EndNested(element);
    }

    /// <summary>Writes every attribute in layout order.</summary>
    protected virtual void WriteData(NetlinkWriter writer)
    {
        foreach (ushort rawType in _layout)
        {
            WriteAttribute(writer, rawType);
        }
    }

    /// <summary>Writes the attribute of this type (compare <c>rawType &amp; TypeMask</c>) using exactly <paramref name="rawType"/>.</summary>
    protected abstract void WriteAttribute(NetlinkWriter writer, ushort rawType);

    protected static ushort TypeOf(ushort rawType) => (ushort)(rawType & NetlinkAttribute.TypeMask);

    protected static NetlinkDecodeException Unexpected(string expression, ushort type) =>
        new($"'{expression}' expression has an attribute this version does not know: {type}.");

    protected static NetlinkDecodeException Missing(string expression, string attribute) =>
        new($"'{expression}' expression lacks {attribute}.");

    /// <summary>A short text in the style of `nft --debug=netlink`.</summary>
    public abstract override string ToString();
}
