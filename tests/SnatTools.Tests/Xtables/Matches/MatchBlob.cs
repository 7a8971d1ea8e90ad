using System.Buffers.Binary;
using System.Net;
using System.Text;
using SnatTools.Core.Xtables;
using SnatTools.Core.Xtables.Matches;

namespace SnatTools.Tests.Xtables.Matches;

/// <summary>Builds an x_tables match info blob field by field (host order, offsets from the uapi struct).</summary>
internal sealed class MatchBlob(int size)
{
    private readonly byte[] bytes = new byte[size];

    public static readonly XtSaveContext IPv4 = new(false, 0, null);
    public static readonly XtSaveContext IPv6 = new(true, 0, null);

    public MatchBlob U8(int offset, byte value)
    {
        bytes[offset] = value;
        return this;
    }

    public MatchBlob U16(int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), value);
        return this;
    }

    public MatchBlob U32(int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
        return this;
    }

    public MatchBlob U64(int offset, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value);
        return this;
    }

    public MatchBlob Text(int offset, string value)
    {
        Encoding.UTF8.GetBytes(value).CopyTo(bytes, offset);
        return this;
    }

    public MatchBlob Raw(int offset, params byte[] value)
    {
        value.CopyTo(bytes, offset);
        return this;
    }

    public MatchBlob Address(int offset, string address) => Raw(offset, IPAddress.Parse(address).GetAddressBytes());

    public MatchBlob Fill(int offset, int length, byte value)
    {
        bytes.AsSpan(offset, length).Fill(value);
        return this;
    }

    public byte[] Bytes => bytes;

    /// <summary>Decodes through the registry, as both backends do, and prints " -m name options".</summary>
    public string Save(string name, uint revision, XtSaveContext? context = null)
    {
        var match = XtMatchRegistry.Decode(name, revision, bytes);
        Assert.IsNotType<UnknownMatch>(match);
        return match.Save(context ?? IPv4);
    }
}
