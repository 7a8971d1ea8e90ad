using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// Where the bytes the kernel dumps for an expression are not bytes it takes back, and which dumped
/// values are state rather than configuration (docs/guide/architecture.md, "Bytes that go back",
/// with the kernel source of each case). Everything else goes back exactly as dumped.
/// </summary>
public static class NftSendBack
{
    private const ushort ExthdrDreg = 1, ExthdrType = 2, ExthdrFlags = 5, ExthdrOp = 6, ExthdrSreg = 7;
    private const ushort DynsetTimeout = 6;
    private const ushort QuotaBytes = 1, QuotaFlags = 2, QuotaConsumed = 4;
    private const uint QuotaDepleted = 1 << 1;

    /// <summary>
    /// The expression as it may be sent back in a NEWRULE: exthdr `set` without the FLAGS its dump
    /// always carries (nft_exthdr_tcp_set_init refuses FLAGS), exthdr `reset` with only TYPE and OP
    /// (nft_exthdr_tcp_strip_init refuses the rest), dynset without a zero TIMEOUT (nft_dynset_init
    /// refuses any TIMEOUT on a set without timeouts; the dump always carries one), quota without the
    /// DEPLETED flag (the dump adds it; nft_quota_do_init refuses it). Others unchanged.
    /// </summary>
    public static Expression ForSending(Expression expression) => expression switch
    {
        UnknownExpression { Name: "exthdr" } e when Has(e, ExthdrSreg) => Filtered(e, (type, _) => type != ExthdrFlags),
        UnknownExpression { Name: "exthdr" } e when !Has(e, ExthdrDreg) && !Has(e, ExthdrSreg) => Filtered(e, (type, _) => type is ExthdrType or ExthdrOp),
        UnknownExpression { Name: "dynset" } e => Filtered(e, (type, payload) => type != DynsetTimeout || payload.IndexOfAnyExcept((byte)0) >= 0),
        UnknownExpression { Name: "quota" } e => Rewritten(e, QuotaFlags, payload => payload.Length == 4 ? Be32(ReadBe32(payload) & ~QuotaDepleted) : payload.ToArray()),
        _ => expression,
    };

    private const ushort ObjrefSetName = 4, ObjrefSetId = 5;

    /// <summary>The anonymous map an objref map reads (`counter name tcp dport map { ... }`), else null.</summary>
    public static string? ObjrefSet(Expression expression)
    {
        if (expression is not UnknownExpression { Name: "objref" } objref)
        {
            return null;
        }

        foreach (var attribute in new AttributeReader(objref.Raw.Span))
        {
            if (attribute.Type == ObjrefSetName)
            {
                return attribute.GetString();
            }
        }

        return null;
    }

    /// <summary>The objref with its map replaced by the copy <paramref name="setName"/> made in the same batch as <paramref name="setId"/>.</summary>
    public static Expression WithObjrefSet(Expression expression, string setName, uint setId)
    {
        var objref = (UnknownExpression)expression;
        var writer = new NetlinkWriter(objref.Raw.Length + 16);
        foreach (var attribute in new AttributeReader(objref.Raw.Span))
        {
            if (attribute.Type == ObjrefSetId)
            {
                continue;
            }

            if (attribute.Type == ObjrefSetName)
            {
                writer.PutString(attribute.RawType, setName);
                writer.PutBe32(ObjrefSetId, setId);
                continue;
            }

            writer.PutAttribute(attribute.RawType, attribute.Payload);
        }

        return new UnknownExpression(objref.Name, writer.WrittenSpan.ToArray(), objref.Reason);
    }

    /// <summary>An objref sent with a copied map (SET_ID) and read back with the copy's name: the same but for the map's name.</summary>
    public static bool SameObjrefApartFromCopiedSet(Expression sent, Expression back) =>
        sent is UnknownExpression { Name: "objref" } && back is UnknownExpression { Name: "objref" }
        && ObjrefSet(back) is { } name && name.StartsWith("__", StringComparison.Ordinal)
        && WithoutSet(sent).AsSpan().SequenceEqual(WithoutSet(back));

    private static byte[] WithoutSet(Expression expression)
    {
        var writer = new NetlinkWriter(expression.Raw.Length);
        foreach (var attribute in new AttributeReader(expression.Raw.Span))
        {
            if (attribute.Type is not (ObjrefSetName or ObjrefSetId))
            {
                writer.PutAttribute(attribute.RawType, attribute.Payload);
            }
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Whether two dumps of an expression hold the same configuration: counter values, quota
    /// consumption and `last` times are state that traffic and time change; they are left out.
    /// </summary>
    public static bool SameConfiguration(Expression a, Expression b)
    {
        if (a.Name != b.Name)
        {
            return false;
        }

        return a.Name switch
        {
            "counter" or "last" => true,
            "quota" => Configuration(ForSending(a), QuotaBytes, QuotaFlags).SequenceEqual(Configuration(ForSending(b), QuotaBytes, QuotaFlags)),
            _ => ForSending(a).Raw.Span.SequenceEqual(ForSending(b).Raw.Span),
        };
    }

    private static bool Has(UnknownExpression expression, ushort type)
    {
        foreach (var attribute in new AttributeReader(expression.Raw.Span))
        {
            if (attribute.Type == type)
            {
                return true;
            }
        }

        return false;
    }

    private delegate bool Keep(ushort type, ReadOnlySpan<byte> payload);

    private delegate byte[] Change(ReadOnlySpan<byte> payload);

    private static UnknownExpression Filtered(UnknownExpression expression, Keep keep)
    {
        var writer = new NetlinkWriter(expression.Raw.Length);
        foreach (var attribute in new AttributeReader(expression.Raw.Span))
        {
            if (keep(attribute.Type, attribute.Payload))
            {
                writer.PutAttribute(attribute.RawType, attribute.Payload);
            }
        }

        return new UnknownExpression(expression.Name, writer.WrittenSpan.ToArray(), expression.Reason);
    }

    private static UnknownExpression Rewritten(UnknownExpression expression, ushort type, Change change)
    {
        var writer = new NetlinkWriter(expression.Raw.Length);
        foreach (var attribute in new AttributeReader(expression.Raw.Span))
        {
            writer.PutAttribute(attribute.RawType, attribute.Type == type ? change(attribute.Payload) : attribute.Payload);
        }

        return new UnknownExpression(expression.Name, writer.WrittenSpan.ToArray(), expression.Reason);
    }

    private static byte[] Configuration(Expression expression, params ReadOnlySpan<ushort> types)
    {
        var writer = new NetlinkWriter(64);
        foreach (var attribute in new AttributeReader(expression.Raw.Span))
        {
            if (types.Contains(attribute.Type))
            {
                writer.PutAttribute(attribute.RawType, attribute.Payload);
            }
        }

        return writer.WrittenSpan.ToArray();
    }

    private static uint ReadBe32(ReadOnlySpan<byte> value) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(value);

    private static byte[] Be32(uint value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
