namespace SnatTools.Core.Nftables.Printing;

/// <summary>How one value is printed: its nft datatype, its size in bytes and its byte order.</summary>
public readonly record struct NftValueType(NftDataType Type, int Size, bool BigEndian)
{
    /// <summary>The bit width nftables shifts each part of a concatenated type by (TYPE_BITS).</summary>
    public const int ConcatBits = 6;

    public static NftValueType Address(bool ipv6) => ipv6 ? new(NftDataType.Ipv6Address, 16, true) : new(NftDataType.Ipv4Address, 4, true);

    public static NftValueType Port => new(NftDataType.InetService, 2, true);

    public static NftValueType HostInteger(int size) => new(NftDataType.Integer, size, false);

    /// <summary>A flag set printed as names (ct state, ct status): nft prints "==" before such values.</summary>
    public bool IsBitmask => Type is NftDataType.CtState or NftDataType.CtStatus or NftDataType.TcpFlag;

    public bool IsAddress => Type is NftDataType.Ipv4Address or NftDataType.Ipv6Address;

    /// <summary>The same value converted by a byteorder expression.</summary>
    public NftValueType WithBigEndian(bool bigEndian) => this with { BigEndian = bigEndian };

    /// <summary>
    /// The parts of a set's key or data type number; sizes follow the datatype (addresses 4/16,
    /// ports 2, marks 4, names 16). Null when a part's size is not known from its type alone.
    /// </summary>
    public static IReadOnlyList<NftValueType>? Parts(uint type)
    {
        var parts = new List<NftValueType>();
        do
        {
            var part = (NftDataType)(type & ((1u << ConcatBits) - 1));
            NftValueType? known = part switch
            {
                NftDataType.Ipv4Address => Address(false),
                NftDataType.Ipv6Address => Address(true),
                NftDataType.InetService => Port,
                NftDataType.InetProtocol => new(NftDataType.InetProtocol, 1, true),
                NftDataType.NfProto => new(NftDataType.NfProto, 1, true),
                NftDataType.Mark => new(NftDataType.Mark, 4, false),
                NftDataType.IfName => new(NftDataType.IfName, 16, true),
                NftDataType.CtState => new(NftDataType.CtState, 4, false),
                NftDataType.CtStatus => new(NftDataType.CtStatus, 4, false),
                _ => null,
            };
            if (known is null)
            {
                return null;
            }

            parts.Insert(0, known.Value);
            type >>= ConcatBits;
        }
        while (type != 0);

        return parts;
    }
}
