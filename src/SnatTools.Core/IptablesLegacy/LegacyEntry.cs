using System.Buffers.Binary;
using System.Net;
using System.Text;
using SnatTools.Core.Netlink;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// One ipt_entry / ip6t_entry of a legacy table blob: its offset and size, its target (name,
/// revision, data; the standard target's verdict), its counters, and the rule decoded into an
/// <see cref="IptablesRule"/>.
/// </summary>
public sealed class LegacyEntry
{
    /// <summary>XT_STANDARD_TARGET and XT_ERROR_TARGET names (uapi x_tables.h).</summary>
    public const string StandardTarget = "";
    public const string ErrorTarget = "ERROR";

    /// <summary>XT_RETURN = -NF_REPEAT - 1.</summary>
    public const int VerdictReturn = -5;

    private LegacyEntry(int offset, int length, string targetName, byte targetRevision, byte[] targetData, IptablesRule rule, Exception? error = null)
    {
        Offset = offset;
        Length = length;
        TargetName = targetName;
        TargetRevision = targetRevision;
        TargetData = targetData;
        Rule = rule;
        Error = error;
    }

    /// <summary>
    /// Why the entry's contents (matches, target) could not be decoded, or null. Its frame (size,
    /// target name) was sound, so the entries after it are still read; <see cref="Rule"/> then
    /// holds what was decoded before the failure and is not to be shown as the rule.
    /// </summary>
    public Exception? Error { get; }

    public int Offset { get; }

    public int Length { get; }

    public string TargetName { get; }

    public byte TargetRevision { get; }

    public byte[] TargetData { get; }

    public IptablesRule Rule { get; }

    /// <summary>For the standard target: the verdict (negative = -NF_x - 1 or XT_RETURN; otherwise a jump offset).</summary>
    public int? Verdict => TargetName == StandardTarget && TargetData.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(TargetData) : null;

    /// <summary>For an ERROR entry: the user chain name it heads (or "ERROR" for the table's end).</summary>
    public string? ErrorName => TargetName == ErrorTarget && Error is null ? CString(TargetData) : null;

    /// <summary>
    /// The entry at <paramref name="offset"/>. Throws <see cref="NetlinkDecodeException"/> only when
    /// its frame (header, target offset, next offset) does not fit, since then no later entry can be
    /// found; a failure inside the frame comes back as an entry with <see cref="Error"/> set.
    /// </summary>
    public static LegacyEntry Decode(LegacyTableLayout layout, byte[] blob, int offset)
    {
        if (offset < 0 || offset > blob.Length - layout.EntryHeaderLength)
        {
            throw new NetlinkDecodeException($"legacy entry at {offset} does not fit in the {blob.Length}-byte table.");
        }

        var entry = blob.AsSpan(offset);
        int targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.TargetOffsetField..]);
        int nextOffset = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.NextOffsetField..]);
        if (nextOffset < layout.EntryHeaderLength || targetOffset < layout.EntryHeaderLength || targetOffset + LegacyTableLayout.EntryMatchHeader > nextOffset || offset + nextOffset > blob.Length)
        {
            throw new NetlinkDecodeException($"legacy entry at {offset} has offsets target {targetOffset}, next {nextOffset} that do not fit.");
        }

        try
        {
            return DecodeContents(layout, blob.AsSpan(offset, nextOffset), offset, targetOffset);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Each rule is decoded on its own: the frame holds, so only this entry is unknown.
            entry = blob.AsSpan(offset, nextOffset);
            string name = CString(entry.Slice(targetOffset + 2, LegacyTableLayout.ExtensionNameLength));
            return new LegacyEntry(offset, nextOffset, name, entry[targetOffset + 31], [], new IptablesRule(layout.IsIPv6), ex);
        }
    }

    private static LegacyEntry DecodeContents(LegacyTableLayout layout, ReadOnlySpan<byte> entry, int offset, int targetOffset)
    {
        int nextOffset = entry.Length;
        var rule = DecodeHeader(layout, entry);
        rule.Packets = BinaryPrimitives.ReadUInt64LittleEndian(entry[layout.CountersField..]);
        rule.Bytes = BinaryPrimitives.ReadUInt64LittleEndian(entry[(layout.CountersField + 8)..]);

        for (int at = layout.EntryHeaderLength; at < targetOffset;)
        {
            int size = BinaryPrimitives.ReadUInt16LittleEndian(entry[at..]);
            if (size < LegacyTableLayout.EntryMatchHeader || at + size > targetOffset)
            {
                throw new NetlinkDecodeException($"legacy match at {offset + at} has size {size} that does not fit.");
            }

            string name = CString(entry.Slice(at + 2, LegacyTableLayout.ExtensionNameLength));
            byte revision = entry[at + 31];
            var match = XtMatchRegistry.Decode(name, revision, entry.Slice(at + LegacyTableLayout.EntryMatchHeader, size - LegacyTableLayout.EntryMatchHeader).ToArray());
            rule.Matches.Add(match);
            if (!match.IsDecoded)
            {
                rule.Problems.Add($"match {name} rev {revision} is not decoded");
            }

            at += size;
        }

        int targetSize = BinaryPrimitives.ReadUInt16LittleEndian(entry[targetOffset..]);
        if (targetSize < LegacyTableLayout.EntryMatchHeader || targetOffset + targetSize > nextOffset)
        {
            throw new NetlinkDecodeException($"legacy target at {offset + targetOffset} has size {targetSize} that does not fit.");
        }

        string targetName = CString(entry.Slice(targetOffset + 2, LegacyTableLayout.ExtensionNameLength));
        byte targetRevision = entry[targetOffset + 31];
        var data = entry.Slice(targetOffset + LegacyTableLayout.EntryMatchHeader, targetSize - LegacyTableLayout.EntryMatchHeader).ToArray();
        if (targetName.Length > 0 && targetName != ErrorTarget)
        {
            rule.Jump = targetName;
            rule.NatTarget = XtNatTarget.TryDecode(targetName, targetRevision, data, layout.IsIPv6);
        }

        return new LegacyEntry(offset, nextOffset, targetName, targetRevision, data, rule);
    }

    /// <summary>The entry bytes with the counters zeroed (what identifies the rule apart from traffic).</summary>
    public byte[] BytesWithoutCounters(LegacyTableLayout layout, byte[] blob)
    {
        var bytes = blob.AsSpan(Offset, Length).ToArray();
        bytes.AsSpan(layout.CountersField, 16).Clear();
        return bytes;
    }

    private static IptablesRule DecodeHeader(LegacyTableLayout layout, ReadOnlySpan<byte> entry)
    {
        var rule = new IptablesRule(layout.IsIPv6);
        int addressLength = layout.IsIPv6 ? 16 : 4;
        // ipt_ip: src, dst, smsk, dmsk, iniface[16], outiface[16], iniface_mask[16], outiface_mask[16];
        // ip6t_ip6: the same with 16-byte addresses.
        rule.Source = new IPAddress(entry[..addressLength]);
        rule.Destination = new IPAddress(entry.Slice(addressLength, addressLength));
        rule.SourceMask = new IPAddress(entry.Slice(2 * addressLength, addressLength));
        rule.DestinationMask = new IPAddress(entry.Slice(3 * addressLength, addressLength));
        int interfaces = 4 * addressLength;
        byte invert = entry[layout.InvFlagsField];
        byte flags = entry[layout.FlagsField];
        rule.InInterface = InterfaceText(entry.Slice(interfaces, 16), entry.Slice(interfaces + 32, 16));
        rule.OutInterface = InterfaceText(entry.Slice(interfaces + 16, 16), entry.Slice(interfaces + 48, 16));
        rule.InInterfaceInverted = (invert & 0x01) != 0;
        rule.OutInterfaceInverted = (invert & 0x02) != 0;
        rule.SourceInverted = (invert & 0x08) != 0;
        rule.DestinationInverted = (invert & 0x10) != 0;
        rule.Protocol = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.ProtoField..]);
        rule.ProtocolInverted = (invert & 0x40) != 0;
        if (!layout.IsIPv6)
        {
            rule.Fragment = (flags & 0x01) != 0;
            rule.FragmentInverted = (invert & 0x20) != 0;
        }

        rule.Goto = (flags & layout.GotoFlag) != 0;
        return rule;
    }

    /// <summary>iptables save_iface: the name's characters while the mask is set; "+" when the mask ends before the name does.</summary>
    private static string InterfaceText(ReadOnlySpan<byte> name, ReadOnlySpan<byte> mask)
    {
        if (mask[0] == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        for (int i = 0; i < 16; i++)
        {
            if (mask[i] != 0)
            {
                if (name[i] != 0)
                {
                    text.Append((char)name[i]);
                }
            }
            else
            {
                if (name[i - 1] != 0)
                {
                    text.Append('+');
                }

                break;
            }
        }

        return text.ToString();
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
