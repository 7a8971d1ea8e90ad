using System.Collections.Frozen;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// Decoders by expression name. A name without a decoder, bytes the decoder refuses, or bytes it
/// cannot re-encode exactly all become an <see cref="UnknownExpression"/>: kept, shown, never
/// silently dropped, never rewritten.
/// </summary>
public static class ExpressionRegistry
{
    private static readonly FrozenDictionary<string, Func<byte[], Expression>> Decoders = new Dictionary<string, Func<byte[], Expression>>
    {
        [ImmediateExpression.TypeName] = ImmediateExpression.Decode,
        [CmpExpression.TypeName] = CmpExpression.Decode,
        [RangeExpression.TypeName] = RangeExpression.Decode,
        [LookupExpression.TypeName] = LookupExpression.Decode,
        [MetaExpression.TypeName] = MetaExpression.Decode,
        [PayloadExpression.TypeName] = PayloadExpression.Decode,
        [BitwiseExpression.TypeName] = BitwiseExpression.Decode,
        [CounterExpression.TypeName] = CounterExpression.Decode,
        [CtExpression.TypeName] = CtExpression.Decode,
        [FibExpression.TypeName] = FibExpression.Decode,
        [NumgenExpression.TypeName] = NumgenExpression.Decode,
        [HashExpression.TypeName] = HashExpression.Decode,
        [ByteorderExpression.TypeName] = ByteorderExpression.Decode,
        [MasqExpression.TypeName] = MasqExpression.Decode,
        [NatExpression.TypeName] = NatExpression.Decode,
        [MatchExpression.TypeName] = MatchExpression.Decode,
        [TargetExpression.TypeName] = TargetExpression.Decode,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> KnownNames => Decoders.Keys;

    public static Expression Decode(string name, byte[] data)
    {
        if (!Decoders.TryGetValue(name, out var decode))
        {
            return new UnknownExpression(name, data, "no decoder for this expression type");
        }

        Expression expression;
        try
        {
            expression = decode(data);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new UnknownExpression(name, data, ex.Message);
        }

        // Parse, don't guess: what cannot be written back identically is not understood.
        bool same;
        try
        {
            same = expression.EncodeData().AsSpan().SequenceEqual(data);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new UnknownExpression(name, data, ex.Message);
        }

        return same ? expression : new UnknownExpression(name, data, "re-encoding did not reproduce the kernel's bytes");
    }
}
