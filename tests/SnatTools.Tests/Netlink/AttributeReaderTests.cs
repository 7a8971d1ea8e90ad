using CsCheck;
using SnatTools.Core.Netlink;

namespace SnatTools.Tests.Netlink;

public sealed class AttributeReaderTests
{
    [Fact]
    public void Writer_output_reads_back_with_exact_types_and_nesting()
    {
        var writer = new NetlinkWriter();
        int message = writer.BeginMessage(0x0a07, NetlinkFlags.Request | NetlinkFlags.Ack, 42);
        writer.PutNfGenMsg(2, 0, 0x1234);
        writer.PutString(1, "nat");
        writer.PutBe32(2, 0xdeadbeef);
        writer.PutBe64(3, 0x0102030405060708);
        int nest = writer.BeginNested(4);
        writer.PutBe16(1, 0xabcd);
        writer.PutU8(2, 7);
        writer.EndNested(nest);
        writer.EndMessage(message);

        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryNext(out var decoded));
        Assert.Equal(0x0a07, decoded.Type);
        Assert.Equal(NetlinkFlags.Request | NetlinkFlags.Ack, decoded.Flags);
        Assert.Equal(42u, decoded.Sequence);
        Assert.Equal(new NfGenMsg(2, 0, 0x1234), decoded.NfGenMsg);

        var attributes = decoded.NfAttributes;
        Assert.True(attributes.TryNext(out var name));
        Assert.Equal("nat", name.GetString());
        Assert.Equal(4, name.Payload.Length); // nla_put_string keeps the NUL
        Assert.True(attributes.TryNext(out var be32));
        Assert.Equal(0xdeadbeefu, be32.GetBe32());
        Assert.True(attributes.TryNext(out var be64));
        Assert.Equal(0x0102030405060708ul, be64.GetBe64());
        Assert.True(attributes.TryNext(out var nested));
        Assert.True(nested.IsNested);
        Assert.Equal(4, nested.Type);
        var inner = nested.GetNested();
        Assert.True(inner.TryNext(out var be16));
        Assert.Equal(0xabcd, be16.GetBe16());
        Assert.True(inner.TryNext(out var u8));
        Assert.Equal(7, u8.GetU8());
        Assert.False(inner.TryNext(out _));
        Assert.False(attributes.TryNext(out _));
        Assert.False(reader.TryNext(out _));
    }

    [Theory]
    [InlineData(new byte[] { 3, 0, 1, 0 }, "length 3")] // shorter than its own header
    [InlineData(new byte[] { 12, 0, 1, 0, 0, 0, 0, 0 }, "length 12")] // longer than what is left
    [InlineData(new byte[] { 8, 0 }, "too short")] // truncated header
    public void Malformed_attributes_raise_a_decode_error(byte[] bytes, string expected)
    {
        var error = Assert.Throws<NetlinkDecodeException>(() =>
        {
            var reader = new AttributeReader(bytes);
            while (reader.TryNext(out _))
            {
            }
        });
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void A_be32_of_the_wrong_length_is_a_decode_error_not_a_wrong_number(int length)
    {
        var bytes = new byte[4 + length + 3 & ~3];
        bytes[0] = (byte)(4 + length);
        bytes[2] = 9;
        var reader = new AttributeReader(bytes);
        Assert.True(reader.TryNext(out _));
        Assert.Throws<NetlinkDecodeException>(() =>
        {
            var again = new AttributeReader(bytes);
            again.TryNext(out var attribute);
            return attribute.GetBe32();
        });
    }

    [Fact]
    public void Random_bytes_never_throw_anything_but_a_decode_error()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                WalkEverything(bytes);
            }
            catch (NetlinkDecodeException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Mutated_valid_messages_never_throw_anything_but_a_decode_error()
    {
        var valid = BuildSampleMessage();
        var mutation = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, valid.Length]);
        mutation.Sample((position, value, cut) =>
        {
            var bytes = valid.ToArray();
            bytes[position] = value;
            try
            {
                WalkEverything(bytes.AsSpan(0, cut));
            }
            catch (NetlinkDecodeException)
            {
            }
        }, iter: 50_000);
    }

    private static byte[] BuildSampleMessage()
    {
        var writer = new NetlinkWriter();
        for (int i = 0; i < 2; i++)
        {
            int message = writer.BeginMessage(0x0104, NetlinkFlags.Multi, 1);
            writer.PutNfGenMsg(0, 0, (ushort)i);
            writer.PutBe32(2, 5);
            int nest = writer.BeginNested(3);
            writer.PutString(1, "KUBE-POSTROUTING");
            writer.PutBe64(2, 9);
            writer.EndNested(nest);
            writer.EndMessage(message);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes every message and every attribute, nested ones recursively, with every getter.</summary>
    private static void WalkEverything(ReadOnlySpan<byte> bytes)
    {
        var messages = new NetlinkMessageReader(bytes);
        while (messages.TryNext(out var message))
        {
            _ = message.ExtendedAckMessage;
            if (message.Payload.Length >= NfGenMsg.Length)
            {
                _ = message.NfGenMsg;
                Walk(message.NfAttributes, 0);
            }
        }

        Walk(new AttributeReader(bytes), 0);
    }

    private static void Walk(AttributeReader reader, int depth)
    {
        while (reader.TryNext(out var attribute))
        {
            _ = attribute.GetString();
            TryGet(attribute);
            if (depth < 4)
            {
                Walk(attribute.GetNested(), depth + 1);
            }
        }
    }

    private static void TryGet(NetlinkAttribute attribute)
    {
        switch (attribute.Payload.Length)
        {
            case 1: _ = attribute.GetU8(); break;
            case 2: _ = attribute.GetBe16(); break;
            case 4: _ = attribute.GetBe32(); _ = attribute.GetU32(); break;
            case 8: _ = attribute.GetBe64(); break;
        }
    }
}
