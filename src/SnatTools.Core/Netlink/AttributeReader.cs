using System.Buffers.Binary;

namespace SnatTools.Core.Netlink;

/// <summary>
/// Walks a run of attributes. Lengths are checked against what is left, so malformed input ends
/// in a <see cref="NetlinkDecodeException"/>, never an out-of-range read or a loop that does not end.
/// </summary>
public ref struct AttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public AttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    public bool TryNext(out NetlinkAttribute attribute)
    {
        if (_remaining.IsEmpty)
        {
            attribute = default;
            return false;
        }

        if (_remaining.Length < NetlinkAttribute.HeaderLength)
        {
            throw new NetlinkDecodeException($"{_remaining.Length} trailing bytes are too short for a 4-byte attribute header.");
        }

        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        if (length < NetlinkAttribute.HeaderLength || length > _remaining.Length)
        {
            throw new NetlinkDecodeException($"attribute length {length} does not fit the {_remaining.Length} bytes left.");
        }

        attribute = new NetlinkAttribute(
            BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]),
            _remaining[NetlinkAttribute.HeaderLength..length]);

        int advance = Math.Min(NetlinkAlign.Align(length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }

    /// <summary>Lets <c>foreach (var a in reader)</c> read like a list.</summary>
    public readonly AttributeReader GetEnumerator() => this;

    public NetlinkAttribute Current { get; private set; }

    public bool MoveNext()
    {
        bool more = TryNext(out var next);
        Current = next;
        return more;
    }
}
