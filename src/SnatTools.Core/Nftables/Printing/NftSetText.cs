using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// An anonymous set or map printed inline as nft does: `{ 80, 443 }`, `{ 198.51.100.0/24, 198.51.100.9 }`,
/// `{ 22 : drop }`, elements in ascending order and interval sets folded back into prefixes or ranges.
/// </summary>
internal sealed class NftSetText
{
    private readonly ICollection<string> _problems;

    public NftSetText(ICollection<string> problems) => _problems = problems;

    public string Inline(NftSetContents contents, NetworkField? field)
    {
        var values = new List<string>();
        var elements = contents.Elements;
        if (contents.Set.IsInterval)
        {
            // Interval sets hold a start element and an end element (flagged) per range; the end is exclusive.
            var sorted = elements.OrderBy(e => e.Key, ByteOrder.Instance).ToList();
            for (int i = 0; i < sorted.Count; i++)
            {
                if (sorted[i].IsIntervalEnd)
                {
                    continue;
                }

                var start = sorted[i].Key;
                byte[]? end = i + 1 < sorted.Count && sorted[i + 1].IsIntervalEnd ? sorted[i + 1].Key : null;
                values.Add(IntervalText(start, end, field));
            }
        }
        else
        {
            foreach (var element in elements.OrderBy(e => e.Key, ByteOrder.Instance))
            {
                string key = KeyText(contents.Set, element.Key);
                values.Add(element.Data?.Verdict is { } verdict ? $"{key} : {verdict}" : key);
            }
        }

        return "{ " + string.Join(", ", values) + " }";
    }

    private string KeyText(NftSet set, byte[] key)
    {
        // nftables datatypes.h: 7 ipv4_addr, 8 ipv6_addr, 12 inet_proto, 13 inet_service, 19 mark, 41 ifname.
        return set.KeyType switch
        {
            7 or 8 => new IPAddress(key).ToString(),
            12 => ProtocolNames.ForNft(key[0]),
            13 when key.Length >= 2 => BinaryPrimitives.ReadUInt16BigEndian(key).ToString(CultureInfo.InvariantCulture),
            19 when key.Length >= 4 => $"0x{BinaryPrimitives.ReadUInt32LittleEndian(key):x8}",
            41 => "\"" + NftValueText.Interface(InterfaceName.Decode(key)) + "\"",
            _ => Unsupported(key),
        };

        string Unsupported(byte[] bytes)
        {
            _problems.Add($"set key type {set.KeyType} has no nft text in this version");
            return NftValueText.Hex(bytes);
        }
    }

    private static string IntervalText(byte[] start, byte[]? end, NetworkField? field)
    {
        if (end is null || field is null or NetworkField.Protocol)
        {
            return start.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(start).ToString(CultureInfo.InvariantCulture) : new IPAddress(start).ToString();
        }

        // [start, end) as a prefix when it is one, else "first-last".
        var last = Decrement(end);
        var mask = new byte[start.Length];
        for (int i = 0; i < start.Length; i++)
        {
            mask[i] = (byte)~(start[i] ^ last[i]);
        }

        int prefix = XtText.MaskToCidr(mask);
        bool aligned = prefix >= 0;
        for (int i = 0; aligned && i < start.Length; i++)
        {
            aligned = (start[i] & ~mask[i]) == 0 && (last[i] | mask[i]) == 0xff;
        }

        if (aligned)
        {
            return NftValueText.Address(start, prefix);
        }

        return $"{new IPAddress(start)}-{new IPAddress(last)}";
    }

    private static byte[] Decrement(byte[] value)
    {
        var result = value.ToArray();
        for (int i = result.Length - 1; i >= 0; i--)
        {
            if (result[i]-- != 0)
            {
                break;
            }
        }

        return result;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
