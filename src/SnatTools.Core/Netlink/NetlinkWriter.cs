using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Netlink;

/// <summary>
/// Builds netlink messages (and batches of them) into one reusable buffer: headers, nfgenmsg,
/// attributes in the byte order the uapi header names, nested attributes with NLA_F_NESTED.
/// Lengths are patched when a message or nest ends, so callers never count bytes.
/// </summary>
public sealed class NetlinkWriter
{
    private byte[] _buffer;
    private int _length;

    public NetlinkWriter(int initialCapacity = 4096) => _buffer = new byte[initialCapacity];

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The bytes written so far, valid until the next write (which may move them).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public int Length => _length;

    public void Reset() => _length = 0;

    /// <summary>Starts a message; returns its offset for <see cref="EndMessage"/>.</summary>
    public int BeginMessage(ushort type, NetlinkFlags flags, uint sequence)
    {
        Pad();
        int start = _length;
        var header = Reserve(NetlinkMessage.HeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        return start;
    }

    public void EndMessage(int start)
    {
        Pad();
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)(_length - start));
    }

    public void PutNfGenMsg(byte family, byte version, ushort resourceId)
    {
        var span = Reserve(NfGenMsg.Length);
        span[0] = family;
        span[1] = version;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], resourceId);
    }

    /// <summary>Raw bytes inside the message body (for fixed headers such as nfgenmsg-like structs).</summary>
    public void PutRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void PutAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Pad();
        var span = Reserve(NetlinkAttribute.HeaderLength + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(NetlinkAttribute.HeaderLength + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        value.CopyTo(span[NetlinkAttribute.HeaderLength..]);
        Pad();
    }

    public void PutU8(ushort type, byte value) => PutAttribute(type, [value]);

    public void PutBe16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        PutAttribute(type, bytes);
    }

    public void PutBe32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        PutAttribute(type, bytes);
    }

    public void PutBe64(ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        PutAttribute(type, bytes);
    }

    public void PutU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        PutAttribute(type, bytes);
    }

    /// <summary>A NUL-terminated string, as nla_put_string writes it.</summary>
    public void PutString(ushort type, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Pad();
        var span = Reserve(NetlinkAttribute.HeaderLength + count + 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)span.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        Encoding.UTF8.GetBytes(value, span[NetlinkAttribute.HeaderLength..]);
        span[^1] = 0;
        Pad();
    }

    /// <summary>Opens a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        Pad();
        int start = _length;
        var span = Reserve(NetlinkAttribute.HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | NetlinkAttribute.NestedFlag));
        return start;
    }

    /// <summary>
    /// Opens a nested attribute whose type is written exactly as given (with or without
    /// NLA_F_NESTED), so a dump can be re-encoded byte for byte; returns its offset for <see cref="EndNested"/>.
    /// </summary>
    public int BeginNestedExact(ushort rawType)
    {
        Pad();
        int start = _length;
        var span = Reserve(NetlinkAttribute.HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], rawType);
        return start;
    }

    public void EndNested(int start)
    {
        int length = _length - start;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"nested attribute of {length} bytes exceeds the 65535-byte netlink limit.");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)length);
    }

    private void Pad()
    {
        int aligned = NetlinkAlign.Align(_length);
        if (aligned != _length)
        {
            Reserve(aligned - _length).Clear();
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
