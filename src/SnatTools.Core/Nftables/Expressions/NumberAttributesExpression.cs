using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// An expression whose attributes are all be32 numbers (fib, numgen, hash, byteorder): kept by
/// attribute type, written back in the order the kernel sent them.
/// </summary>
public abstract class NumberAttributesExpression : Expression
{
    private readonly Dictionary<ushort, uint> _values;

    protected NumberAttributesExpression(Dictionary<ushort, uint> values, ushort[] layout, byte[]? raw)
        : base(layout, raw) => _values = values;

    /// <summary>Whether the kernel sent the attribute (some are only sent when set).</summary>
    protected bool Has(ushort type) => _values.ContainsKey(type);

    protected uint Get(ushort type) => _values.GetValueOrDefault(type);

    /// <summary>Reads every attribute of <paramref name="data"/> as a be32; types above <paramref name="lastType"/> are refused.</summary>
    protected static (Dictionary<ushort, uint> Values, ushort[] Layout) DecodeNumbers(string name, byte[] data, ushort lastType, params ReadOnlySpan<ushort> required)
    {
        var values = new Dictionary<ushort, uint>(lastType);
        var layout = new List<ushort>(lastType);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            if (attribute.Type is 0 || attribute.Type > lastType)
            {
                throw Unexpected(name, attribute.Type);
            }

            values[attribute.Type] = attribute.GetBe32();
        }

        foreach (ushort type in required)
        {
            if (!values.ContainsKey(type))
            {
                throw Missing(name, $"attribute {type}");
            }
        }

        return (values, [.. layout]);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType) => writer.PutBe32(rawType, _values[TypeOf(rawType)]);
}
