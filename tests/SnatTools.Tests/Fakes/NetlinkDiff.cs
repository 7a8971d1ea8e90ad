using System.Text;

namespace SnatTools.Tests.Fakes;

/// <summary>
/// Explains how two netlink datagrams differ, message by message and attribute by attribute
/// (sequence numbers aside), so a golden-bytes failure says which rule and which field changed
/// instead of dumping kilobytes of hex. The idea of google/nftables' internal/nftest Diff.
/// </summary>
public static class NetlinkDiff
{
    /// <summary>Null when the datagrams are the same apart from sequence numbers and port ids.</summary>
    public static string? Explain(byte[] expected, byte[] actual)
    {
        var want = new NetlinkDatagram(expected);
        var got = new NetlinkDatagram(actual);
        if (want.Normalized().AsSpan().SequenceEqual(got.Normalized()))
        {
            return null;
        }

        var text = new StringBuilder();
        if (want.Messages.Count != got.Messages.Count)
        {
            text.Append($"{want.Messages.Count} messages expected, {got.Messages.Count} sent.\n");
        }

        int shown = 0;
        for (int i = 0; i < Math.Max(want.Messages.Count, got.Messages.Count) && shown < 3; i++)
        {
            var a = i < want.Messages.Count ? want.Messages[i] : null;
            var b = i < got.Messages.Count ? got.Messages[i] : null;
            if (a is not null && b is not null && a.Bytes.AsSpan(NetlinkHeaderEnd).SequenceEqual(b.Bytes.AsSpan(NetlinkHeaderEnd))
                && a.Type == b.Type && a.Flags == b.Flags)
            {
                continue;
            }

            shown++;
            text.Append($"message {i + 1}:\n  expected {a?.ToString() ?? "(none)"}\n  sent     {b?.ToString() ?? "(none)"}\n");
            if (a is null || b is null || a.Payload.Length < 4 || b.Payload.Length < 4)
            {
                continue;
            }

            var wantAttributes = a.Attributes;
            var gotAttributes = b.Attributes;
            for (int j = 0; j < Math.Max(wantAttributes.Count, gotAttributes.Count); j++)
            {
                var x = j < wantAttributes.Count ? wantAttributes[j] : default;
                var y = j < gotAttributes.Count ? gotAttributes[j] : default;
                if (x.Value is not null && y.Value is not null && x.RawType == y.RawType && x.Value.AsSpan().SequenceEqual(y.Value))
                {
                    continue;
                }

                text.Append($"  attribute {j + 1}: expected type 0x{x.RawType:x4} {Hex(x.Value)}\n");
                text.Append($"  attribute {j + 1}: sent     type 0x{y.RawType:x4} {Hex(y.Value)}\n");
            }
        }

        return text.ToString();
    }

    private const int NetlinkHeaderEnd = 16;

    private static string Hex(byte[]? value) =>
        value is null ? "(none)" : value.Length <= 96 ? NetlinkDatagram.Hex(value).Replace('\n', ' ') : $"{NetlinkDatagram.Hex(value.AsSpan(0, 96)).Replace('\n', ' ')} … ({value.Length} bytes)";
}
