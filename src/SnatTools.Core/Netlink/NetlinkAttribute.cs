using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Netlink;

/// <summary>
/// One attribute (struct nlattr): its type without the NESTED/NET_BYTEORDER bits, and its payload.
/// Every typed getter checks the exact length the uapi header gives the attribute, so a short or
/// long value is a <see cref="NetlinkDecodeException"/> naming the attribute, not a wrong number.
/// </summary>
public readonly ref struct NetlinkAttribute
{
    public const int HeaderLength = 4;
    public const ushort NestedFlag = 0x8000;
    public const ushort NetByteOrderFlag = 0x4000;
    public const ushort TypeMask = 0x3fff;

    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
    {
        RawType = rawType;
        Payload = payload;
    }

    public ushort RawType { get; }

    public ushort Type => (ushort)(RawType & TypeMask);

    public bool IsNested => (RawType & NestedFlag) != 0;

    public ReadOnlySpan<byte> Payload { get; }

    public byte GetU8()
    {
        ExpectLength(1);
        return Payload[0];
    }

    public ushort GetBe16()
    {
        ExpectLength(2);
        return BinaryPrimitives.ReadUInt16BigEndian(Payload);
    }

    public uint GetBe32()
    {
        ExpectLength(4);
        return BinaryPrimitives.ReadUInt32BigEndian(Payload);
    }

    public ulong GetBe64()
    {
        ExpectLength(8);
        return BinaryPrimitives.ReadUInt64BigEndian(Payload);
    }

    /// <summary>A host-order (little-endian here) u32, as a few attributes use.</summary>
    public uint GetU32()
    {
        ExpectLength(4);
        return BinaryPrimitives.ReadUInt32LittleEndian(Payload);
    }

    /// <summary>A NUL-terminated string (NLA_STRING / NLA_NUL_STRING); a missing terminator is tolerated.</summary>
    public string GetString()
    {
        int end = Payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Payload : Payload[..end]);
    }

    /// <summary>A string whose payload must fit <paramref name="maxLength"/> bytes including its NUL.</summary>
    public string GetString(int maxLength)
    {
        if (Payload.Length > maxLength)
        {
            throw new NetlinkDecodeException($"attribute {Type} is a {Payload.Length}-byte string, longer than its limit of {maxLength}.");
        }

        return GetString();
    }

    public byte[] GetBytes() => Payload.ToArray();

    public AttributeReader GetNested() => new(Payload);

    private void ExpectLength(int length)
    {
        if (Payload.Length != length)
        {
            throw new NetlinkDecodeException($"attribute {Type} has {Payload.Length} bytes where {length} are required.");
        }
    }
}
