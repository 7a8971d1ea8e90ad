using System.Buffers.Binary;
using System.Security.Cryptography;
using SnatTools.Core.Nat;

namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// One iptables-legacy table as IPT_SO_GET_INFO and IPT_SO_GET_ENTRIES return it: the hook entry
/// points, the underflows (built-in chain policies) and the entry blob.
/// </summary>
public sealed class LegacyTable
{
    public LegacyTable(LegacyTableLayout layout, string name, uint validHooks, uint[] hookEntry, uint[] underflow, int entryCount, byte[] blob)
    {
        Layout = layout;
        Name = name;
        ValidHooks = validHooks;
        HookEntry = hookEntry;
        Underflow = underflow;
        EntryCount = entryCount;
        Blob = blob;
    }

    public LegacyTableLayout Layout { get; }

    public string Name { get; }

    public uint ValidHooks { get; }

    /// <summary>Offset of the first rule of each built-in chain, by NF_INET hook number.</summary>
    public IReadOnlyList<uint> HookEntry { get; }

    /// <summary>Offset of the policy entry of each built-in chain.</summary>
    public IReadOnlyList<uint> Underflow { get; }

    public int EntryCount { get; }

    public byte[] Blob { get; }

    /// <summary>
    /// A copy of the blob in which the MASQUERADE/SNAT target of the entry at <paramref name="entryOffset"/>
    /// has <paramref name="flags"/> instead of its flags; every other byte unchanged. This is the
    /// entries part of an IPT_SO_SET_REPLACE that changes only that rule.
    /// </summary>
    public byte[] WithNatFlags(int entryOffset, NatRangeFlags flags)
    {
        var copy = Blob.ToArray();
        WriteNatFlags(copy, entryOffset, flags);
        return copy;
    }

    /// <summary>
    /// Writes <paramref name="flags"/> into the NAT target of the entry at <paramref name="entryOffset"/>
    /// in <paramref name="entries"/> (a copy of this table's blob), so many rules change in one copy.
    /// </summary>
    public void WriteNatFlags(Span<byte> entries, int entryOffset, NatRangeFlags flags)
    {
        var entry = LegacyEntry.Decode(Layout, Blob, entryOffset);
        var target = entry.Rule.NatTarget ?? throw new InvalidOperationException($"the entry at {entryOffset} is not a decoded MASQUERADE/SNAT target");
        int targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(Blob.AsSpan(entryOffset + Layout.TargetOffsetField));
        int flagsAt = entryOffset + targetOffset + LegacyTableLayout.EntryMatchHeader + (target.Layout == Xtables.XtNatLayout.MultiRangeCompat ? 4 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(entries[flagsAt..], (uint)flags);
    }

    /// <summary>SHA-256 of the blob with every entry's counters zeroed: the table's identity apart from traffic.</summary>
    public string Digest()
    {
        var copy = Blob.ToArray();
        for (int offset = 0; offset + Layout.EntryHeaderLength <= copy.Length;)
        {
            copy.AsSpan(offset + Layout.CountersField, 16).Clear();
            int next = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(offset + Layout.NextOffsetField));
            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return Convert.ToHexString(SHA256.HashData(copy)).ToLowerInvariant();
    }
}
