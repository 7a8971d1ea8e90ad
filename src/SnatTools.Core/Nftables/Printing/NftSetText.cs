using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// An anonymous set or map printed inline as nft does: `{ 80, 443 }`, `{ 198.51.100.0/24, 198.51.100.9 }`,
/// `{ 22 : drop }`, `{ 0-5 : 192.0.2.1 }`, `{ 192.0.2.4 . 20 : 198.51.100.3 . 80 }`: elements in
/// ascending key order, interval sets folded back into single values, prefixes or ranges, and map
/// data printed by the map's data type.
/// </summary>
internal sealed class NftSetText
{
    private readonly ICollection<string> _problems;

    public NftSetText(ICollection<string> problems) => _problems = problems;

    /// <summary>The elements, keys printed as <paramref name="keyTypes"/>; null (with a problem) when they cannot be printed.</summary>
    public string? Inline(NftSetContents contents, IReadOnlyList<NftValueType>? keyTypes)
    {
        var entries = Entries(contents, keyTypes);
        return entries is null ? null : "{ " + string.Join(", ", entries.Select(e => e.Data is null ? e.Key : $"{e.Key} : {e.Data}")) + " }";
    }

    /// <summary>Each element as printed: its key and, in a map, its data.</summary>
    public IReadOnlyList<(string Key, string? Data)>? Entries(NftSetContents contents, IReadOnlyList<NftValueType>? keyTypes)
    {
        if (keyTypes is null || keyTypes.Count == 0)
        {
            _problems.Add($"the key type of set {contents.Set.Name} has no nft text in this version");
            return null;
        }

        var sorted = contents.Elements.OrderBy(e => e.Key, new KeyOrder(keyTypes)).ToList();
        var entries = new List<(string, string?)>();
        for (int i = 0; i < sorted.Count; i++)
        {
            var element = sorted[i];
            string? key;
            if (contents.Set.IsInterval)
            {
                if (element.IsIntervalEnd)
                {
                    continue;
                }

                // An interval runs from its start element up to (not including) the next element: an end
                // element (flagged) where a gap follows, or the start of the next interval.
                byte[]? end = i + 1 < sorted.Count ? sorted[i + 1].Key : null;
                key = keyTypes.Count == 1 ? Interval(keyTypes[0], element.Key, end) : null;
            }
            else
            {
                key = Concat(keyTypes, element.Key);
            }

            string? data = contents.Set.IsMap ? Data(contents.Set, element) : null;
            if (key is null || (contents.Set.IsMap && data is null))
            {
                _problems.Add($"an element of set {contents.Set.Name} has no nft text in this version");
                return null;
            }

            entries.Add((key, data));
        }

        return entries;
    }

    /// <summary>The data of a map element: a verdict, or values of the map's data type (plain, concatenated, or as intervals).</summary>
    public static string? Data(NftSet set, NftSetElement element)
    {
        if (element.Data?.Verdict is { } verdict)
        {
            return verdict.ToString();
        }

        if (element.Data?.Value is not { } value || set.DataType is not { } type || NftValueType.Parts(type) is not { } parts)
        {
            return null;
        }

        int width = parts.Sum(p => Padded(p.Size));
        if (value.Length == width)
        {
            return Concat(parts, value);
        }

        if (value.Length != 2 * width)
        {
            return null;
        }

        // Interval data holds every part's lowest values, then every part's highest.
        var texts = new List<string>();
        int offset = 0;
        foreach (var part in parts)
        {
            var low = value.AsSpan(offset, part.Size);
            var high = value.AsSpan(offset + width, part.Size);
            if (RangeText(part, low, high, single: parts.Count > 1) is not { } text)
            {
                return null;
            }

            texts.Add(text);
            offset += Padded(part.Size);
        }

        return string.Join(" . ", texts);
    }

    /// <summary>
    /// A range as nft prints a NAT range (range_expr_to_prefix): an address block as a prefix (a
    /// one-address range as /32 or /128, except inside a concatenation, where it is the address),
    /// other equal bounds as one value, else "low-high".
    /// </summary>
    public static string? RangeText(NftValueType type, ReadOnlySpan<byte> low, ReadOnlySpan<byte> high, bool single)
    {
        if (NftValueText.Format(type, low) is not { } first || NftValueText.Format(type, high) is not { } last)
        {
            return null;
        }

        if (low.SequenceEqual(high) && (single || !type.IsAddress))
        {
            return first;
        }

        if (type.IsAddress && Prefix(low, high) is { } prefix)
        {
            return $"{first}/{prefix}";
        }

        return $"{first}-{last}";
    }

    private static string? Concat(IReadOnlyList<NftValueType> types, ReadOnlySpan<byte> key)
    {
        var texts = new List<string>(types.Count);
        int offset = 0;
        foreach (var type in types)
        {
            if (offset + type.Size > key.Length || NftValueText.Format(type, key.Slice(offset, type.Size)) is not { } text)
            {
                return null;
            }

            texts.Add(text);
            offset += Padded(type.Size);
        }

        return string.Join(" . ", texts);
    }

    /// <summary>An interval set element [start, end): one value, an address prefix, or "first-last".</summary>
    private static string? Interval(NftValueType type, byte[] start, byte[]? end)
    {
        var last = end is null ? Enumerable.Repeat((byte)0xff, start.Length).ToArray() : Decrement(end);
        if (start.AsSpan().SequenceEqual(last))
        {
            return NftValueText.Format(type, start);
        }

        if (type.IsAddress && Prefix(start, last) is { } prefix)
        {
            return NftValueText.Address(start, prefix);
        }

        return NftValueText.Format(type, start, numeric: true) is { } first && NftValueText.Format(type, last, numeric: true) is { } final ? $"{first}-{final}" : null;
    }

    /// <summary>The prefix length when [low, high] is exactly one address block, else null.</summary>
    private static int? Prefix(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high)
    {
        var mask = new byte[low.Length];
        for (int i = 0; i < low.Length; i++)
        {
            mask[i] = (byte)~(low[i] ^ high[i]);
        }

        int prefix = XtText.MaskToCidr(mask);
        if (prefix < 0)
        {
            return null;
        }

        for (int i = 0; i < low.Length; i++)
        {
            if ((low[i] & ~mask[i]) != 0 || (high[i] | mask[i]) != 0xff)
            {
                return null;
            }
        }

        return prefix;
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

    private static int Padded(int size) => (size + 3) / 4 * 4;

    /// <summary>
    /// Keys in ascending order as nft sorts them (by their value as a number, segtree.c/mpz): a
    /// big-endian value by its bytes in order; a host-order value, an interface name (a host-order
    /// string) and a whole concatenation by their bytes from the last one.
    /// </summary>
    private sealed class KeyOrder(IReadOnlyList<NftValueType> types) : IComparer<byte[]>
    {
        private readonly bool _fromLast = types.Count > 1 || !types[0].BigEndian || types[0].Type == NftDataType.IfName;

        public int Compare(byte[]? x, byte[]? y)
        {
            if (x is null || y is null)
            {
                return (x is null).CompareTo(y is null);
            }

            if (x.Length != y.Length)
            {
                return x.Length.CompareTo(y.Length);
            }

            if (!_fromLast)
            {
                return x.AsSpan().SequenceCompareTo(y);
            }

            for (int i = x.Length - 1; i >= 0; i--)
            {
                if (x[i] != y[i])
                {
                    return x[i].CompareTo(y[i]);
                }
            }

            return 0;
        }
    }
}
