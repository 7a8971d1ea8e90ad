using SnatTools.Core.Netlink;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// Dumps conntrack entries over ctnetlink (IPCTNL_MSG_CT_GET with NLM_F_DUMP) of one address
/// family, or of both (AF_UNSPEC, as conntrack -L does) in one walk of the kernel's hash table. Messages are decoded as they arrive and only the entries kept are held, so memory
/// grows with what is kept, not with the table.
/// </summary>
public sealed class ConntrackEntryReader : IDisposable
{
    /// <summary>How often (in received entries) progress is reported.</summary>
    public const int ProgressEvery = 4096;

    private readonly NetlinkSocket _socket;
    private readonly NetlinkWriter _writer = new(128);

    private ConntrackEntryReader(NetlinkSocket socket) => _socket = socket;

    public static ConntrackEntryReader Open(string? networkNamespace = null) =>
        new(NetlinkSocket.Open(NetlinkSocket.NetlinkNetfilter, networkNamespace));

    /// <summary>The source-NATed entries (IPS_SRC_NAT) of one family.</summary>
    /// <param name="family"><see cref="ConntrackEntryDecoder.AfInet"/>, <see cref="ConntrackEntryDecoder.AfInet6"/>, or <see cref="ConntrackEntryDecoder.AfUnspec"/> for both.</param>
    /// <param name="keep">Which decoded entries to hold; null for all.</param>
    /// <param name="progress">Called every <see cref="ProgressEvery"/> received entries with the count so far.</param>
    public ConntrackDump DumpSourceNat(byte family, Func<ConntrackEntry, bool>? keep = null, Action<long>? progress = null) =>
        Dump(family, ConntrackStatus.SourceNat, ConntrackStatus.SourceNat, keep, progress);

    /// <summary>
    /// The entries of one family with <c>(status &amp; mask) == value</c>. The filter goes to the
    /// kernel (CTA_STATUS + CTA_STATUS_MASK, read by ctnetlink_filter_parse_status) and is applied
    /// again here, because kernels before the status filter ignore both attributes.
    /// </summary>
    public ConntrackDump Dump(byte family, ConntrackStatus mask, ConntrackStatus value, Func<ConntrackEntry, bool>? keep = null, Action<long>? progress = null)
    {
        if (family is not (ConntrackEntryDecoder.AfUnspec or ConntrackEntryDecoder.AfInet or ConntrackEntryDecoder.AfInet6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "conntrack tracks AF_INET (2) and AF_INET6 (10); AF_UNSPEC (0) dumps both.");
        }

        long received = 0, skipped = 0;
        var entries = _socket.Dump<ConntrackEntry>(
            _writer,
            (writer, sequence) =>
            {
                received = skipped = 0;
                BuildRequest(writer, sequence, family, mask, value);
            },
            "ctnetlink IPCTNL_MSG_CT_GET",
            (in NetlinkMessage message, out ConntrackEntry entry) =>
            {
                if (++received % ProgressEvery == 0)
                {
                    progress?.Invoke(received);
                }

                if (!ConntrackEntryDecoder.TryDecode(message, mask, value, out entry))
                {
                    skipped++;
                    return false;
                }

                return keep?.Invoke(entry) ?? true;
            });
        return new ConntrackDump(entries, received, skipped);
    }

    /// <summary>The request bytes: nfgenmsg with the family, and the status filter when a mask is given.</summary>
    internal static void BuildRequest(NetlinkWriter writer, uint sequence, byte family, ConntrackStatus mask, ConntrackStatus value)
    {
        int start = writer.BeginMessage(
            NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, CtnetlinkMessage.Get),
            NetlinkFlags.Request | NetlinkFlags.Dump,
            sequence);
        writer.PutNfGenMsg(family, NfnetlinkSubsystem.Version0, 0);
        if (mask != ConntrackStatus.None)
        {
            // A zero mask is refused with EINVAL (it would match all or nothing), so it is left out.
            writer.PutBe32(CtaEntry.Status, (uint)value);
            writer.PutBe32(CtaEntry.StatusMask, (uint)mask);
        }

        writer.EndMessage(start);
    }

    public void Dispose() => _socket.Dispose();
}
