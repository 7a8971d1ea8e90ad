using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>
/// The contents of an nft_data nest (NFTA_DATA_VALUE bytes or an NFTA_DATA_VERDICT), with the
/// attribute types in the order the kernel sent them, so it encodes back byte for byte.
/// </summary>
public sealed class NftData
{
    private static readonly ushort[] ValueLayout = [NftaData.Value];
    private static readonly ushort[] VerdictLayout = [NftaData.Verdict];
    private static readonly ushort[] VerdictInnerLayout = [NftaVerdict.Code, NftaVerdict.Chain];

    private readonly ushort[] _layout;
    private readonly ushort[] _verdictLayout;

    private NftData(byte[]? value, NftVerdict? verdict, ushort[] layout, ushort[] verdictLayout)
    {
        Value = value;
        Verdict = verdict;
        _layout = layout;
        _verdictLayout = verdictLayout;
    }

    /// <summary>The value bytes (register contents: network order for addresses and ports); null for a verdict.</summary>
    public byte[]? Value { get; }

    public NftVerdict? Verdict { get; }

    public static NftData FromValue(byte[] value) => new(value, null, ValueLayout, []);

    public static NftData FromVerdict(NftVerdict verdict) =>
        new(null, verdict, VerdictLayout, verdict.Chain is null ? [NftaVerdict.Code] : VerdictInnerLayout);

    /// <summary>Decodes the payload of an attribute that holds an nft_data nest.</summary>
    public static NftData Decode(ReadOnlySpan<byte> nest)
    {
        byte[]? value = null;
        NftVerdict? verdict = null;
        var layout = new List<ushort>(1);
        var verdictLayout = new List<ushort>(2);
        foreach (var attribute in new AttributeReader(nest))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaData.Value:
                    value = attribute.GetBytes();
                    break;
                case NftaData.Verdict:
                    int? code = null;
                    string? chain = null;
                    foreach (var inner in attribute.GetNested())
                    {
                        verdictLayout.Add(inner.RawType);
                        switch (inner.Type)
                        {
                            case NftaVerdict.Code: code = unchecked((int)inner.GetBe32()); break;
                            case NftaVerdict.Chain: chain = inner.GetString(); break;
                            default: throw new NetlinkDecodeException($"nft verdict has unexpected attribute {inner.Type}.");
                        }
                    }

                    verdict = new NftVerdict(code ?? throw new NetlinkDecodeException("nft verdict without NFTA_VERDICT_CODE."), chain);
                    break;
                default:
                    throw new NetlinkDecodeException($"nft_data has unexpected attribute {attribute.Type}.");
            }
        }

        if ((value is null) == (verdict is null))
        {
            throw new NetlinkDecodeException("nft_data must hold exactly one of NFTA_DATA_VALUE and NFTA_DATA_VERDICT.");
        }

        return new NftData(value, verdict, [.. layout], [.. verdictLayout]);
    }

    /// <summary>Writes the nest (attribute <paramref name="rawType"/>) with its children in their original order.</summary>
    public void Encode(NetlinkWriter writer, ushort rawType)
    {
        int nest = writer.BeginNestedExact(rawType);
        foreach (ushort type in _layout)
        {
            if ((type & NetlinkAttribute.TypeMask) == NftaData.Value)
            {
                writer.PutAttribute(type, Value);
                continue;
            }

            int verdictNest = writer.BeginNestedExact(type);
            foreach (ushort inner in _verdictLayout)
            {
                if ((inner & NetlinkAttribute.TypeMask) == NftaVerdict.Code)
                {
                    writer.PutBe32(inner, unchecked((uint)Verdict!.Code));
                }
                else
                {
                    writer.PutString(inner, Verdict!.Chain ?? string.Empty);
                }
            }

            writer.EndNested(verdictNest);
        }

        writer.EndNested(nest);
    }

    public override string ToString() => Verdict?.ToString() ?? "0x" + Convert.ToHexString(Value!).ToLowerInvariant();
}
