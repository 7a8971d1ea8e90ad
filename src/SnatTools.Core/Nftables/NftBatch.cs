using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>
/// One nf_tables transaction: NFNL_MSG_BATCH_BEGIN (with NFNL_BATCH_GENID when a generation is
/// given), the messages, NFNL_MSG_BATCH_END — applied by the kernel all or nothing. When the
/// ruleset moved past the generation the caller read, the kernel refuses the whole batch with
/// ERESTART before touching anything (net/netfilter/nfnetlink.c, nfnetlink_rcv_batch), which
/// <see cref="Commit"/> reports as <see cref="NftGenerationChangedException"/>.
/// <para>
/// A batch of any size is one transaction. It is written in pages (whole messages, about
/// <see cref="PageSize"/> each) and sent as one datagram gathered from them, after the socket's
/// send buffer is raised to hold it (the kernel refuses a datagram larger than the send buffer
/// with EMSGSIZE) and its receive buffer to hold every reply: the kernel queues one ACK per
/// message and the echoed objects before the first one can be read, and drops what does not fit.
/// nft does the same (src/mnl.c, mnl_batch_talk).
/// </para>
/// </summary>
public sealed class NftBatch
{
    /// <summary>About how many bytes of whole messages one page holds before the next page starts.</summary>
    public const int PageSize = 128 * 1024;

    /// <summary>
    /// Receive-buffer charge of one ACK: the truesize of the sk_buff holding a 36-byte capped
    /// NLMSG_ERROR, measured at 832 bytes on 6.18 (4,000 ACKs queued 3,328,000 bytes), rounded up.
    /// </summary>
    internal const int ReplyBytesPerAck = 1024;

    /// <summary>
    /// Receive-buffer charge of the echoed objects per byte of the echoing requests: the kernel
    /// packs them into ~3.7 KiB messages in ~8 KiB buffers, and a rule comes back with its handle,
    /// position, table and chain. Measured up to 4.6 (5,000 native masquerade rules: 920,048 bytes
    /// of requests, 4.2 MB of echoes queued), rounded up.
    /// </summary>
    internal const int EchoBytesPerRequestByte = 6;

    /// <summary>Room for replies beyond the per-message ones (the generation reply, an error with its extended ACK).</summary>
    internal const int ReplySlack = 64 * 1024;

    // uapi linux/netfilter/nfnetlink.h
    private const ushort BatchBegin = 0x10;
    private const ushort BatchEnd = 0x11;
    private const ushort BatchGenIdAttribute = 1;

    private readonly NetlinkSocket _socket;
    private readonly List<NetlinkWriter> _pages = [];
    private readonly List<uint> _sequences = [];
    private readonly uint _beginSequence;
    private NetlinkWriter _writer;
    private int _open = -1;
    private bool _openEchoes;
    private long _echoBytes;
    private bool _ended;

    public NftBatch(NetlinkSocket socket, uint generationId = 0)
    {
        _socket = socket;
        _writer = NewPage();
        _beginSequence = socket.NextSequence();
        int start = _writer.BeginMessage(BatchBegin, NetlinkFlags.Request, _beginSequence);
        _writer.PutNfGenMsg(0, NfnetlinkSubsystem.Version0, NfnetlinkSubsystem.Nftables);
        if (generationId != 0)
        {
            _writer.PutBe32(BatchGenIdAttribute, generationId);
        }

        _writer.EndMessage(start);
    }

    /// <summary>Number of messages between BEGIN and END.</summary>
    public int Count => _sequences.Count;

    /// <summary>The sequence number of the last message begun: replies and echoes carry it.</summary>
    public uint LastSequence => _sequences.Count > 0 ? _sequences[^1] : _beginSequence;

    /// <summary>The batch's size on the wire so far, BEGIN and (once committed) END included.</summary>
    public int Length
    {
        get
        {
            int length = 0;
            foreach (var page in _pages)
            {
                length += page.Length;
            }

            return length;
        }
    }

    /// <summary>Number of pages the batch is sent from.</summary>
    public int PageCount => _pages.Count;

    /// <summary>
    /// Starts an nf_tables message (NFT_MSG_*) for <paramref name="family"/> (NFPROTO_*); the
    /// caller then writes its attributes into the returned writer and calls <see cref="EndMessage"/>.
    /// </summary>
    public NetlinkWriter BeginMessage(byte message, byte family, NetlinkFlags flags)
    {
        if (_open >= 0 || _ended)
        {
            throw new InvalidOperationException("the previous batch message is still open, or the batch was committed");
        }

        uint sequence = _socket.NextSequence();
        _sequences.Add(sequence);
        var messageFlags = NetlinkFlags.Request | NetlinkFlags.Ack | flags;
        _open = _writer.BeginMessage(NftMessage.Type(message), messageFlags, sequence);
        _writer.PutNfGenMsg(family, NfnetlinkSubsystem.Version0, 0);
        _openEchoes = (messageFlags & NetlinkFlags.Echo) != 0;
        return _writer;
    }

    public void EndMessage()
    {
        _writer.EndMessage(_open);
        if (_openEchoes)
        {
            _echoBytes += _writer.Length - _open;
        }

        _open = -1;
        if (_writer.Length >= PageSize)
        {
            _writer = NewPage();
        }
    }

    /// <summary>
    /// Sends the batch and waits for the kernel's verdict on every message. Returns the
    /// generation after the commit. Errors: <see cref="NftGenerationChangedException"/> when the
    /// generation moved, <see cref="NetlinkException"/> for the first message the kernel refused
    /// (the whole batch is then rolled back by the kernel), or when a reply was lost. Messages the
    /// kernel sends back besides the ACKs (the notifications NLM_F_ECHO asks for, e.g. a new rule
    /// with its handle) go to <paramref name="onReply"/>, valid only during the call.
    /// </summary>
    public uint Commit(string operation, MessageVisitor? onReply = null)
    {
        if (_open >= 0)
        {
            throw new InvalidOperationException("a batch message is still open");
        }

        if (!_ended)
        {
            int end = _writer.BeginMessage(BatchEnd, NetlinkFlags.Request, _socket.NextSequence());
            _writer.PutNfGenMsg(0, NfnetlinkSubsystem.Version0, NfnetlinkSubsystem.Nftables);
            _writer.EndMessage(end);
            _ended = true;
        }

        var segments = new ReadOnlyMemory<byte>[_pages.Count];
        for (int i = 0; i < _pages.Count; i++)
        {
            segments[i] = _pages[i].WrittenMemory;
        }

        // The batch is processed inside sendmsg, so every ACK and error is queued before the
        // GETGEN reply that follows; reading up to that reply collects them all, whatever the
        // kernel version's ACK habits for BEGIN/END.
        _socket.Send(segments, ReplyBytes);
        uint syncSequence = _socket.NextSequence();
        var sync = new NetlinkWriter(64);
        int start = sync.BeginMessage(NftMessage.Type(NftMessage.GetGen), NetlinkFlags.Request, syncSequence);
        sync.PutNfGenMsg(0, NfnetlinkSubsystem.Version0, 0);
        sync.EndMessage(start);
        _socket.Send(sync.WrittenSpan);

        NetlinkException? firstError = null;
        uint generation = 0;
        var unanswered = new HashSet<uint>(_sequences);
        try
        {
            _socket.Receive((in NetlinkMessage message) =>
            {
                if (message.Type == NetlinkMessageType.Error)
                {
                    unanswered.Remove(message.Sequence);
                    int errno = message.ErrorCode;
                    if (errno != 0 && firstError is null)
                    {
                        FailedSequence = message.Sequence;
                        firstError = NetlinkException.FromErrno(errno, Describe(operation, message.Sequence), message.ExtendedAckMessage);
                    }

                    return message.Sequence != syncSequence;
                }

                if (message.Sequence == syncSequence && message.Type == NftMessage.Type(NftMessage.NewGen))
                {
                    foreach (var attribute in message.NfAttributes)
                    {
                        if (attribute.Type == NftaGen.Id)
                        {
                            generation = attribute.GetBe32();
                        }
                    }

                    return false;
                }

                onReply?.Invoke(in message);
                return true;
            });
        }
        catch (NetlinkException ex) when (ex.Errno == Errno.ENOBUFS)
        {
            throw NetlinkException.FromErrno(Errno.ENOBUFS,
                $"{operation}: the kernel's replies overflowed the socket's receive buffer, so it is not known whether the batch was applied " +
                "(it was applied completely or not at all; read the rules again to see which)");
        }

        if (firstError is { Errno: Errno.ERESTART })
        {
            throw new NftGenerationChangedException(operation);
        }

        if (firstError is not null)
        {
            throw firstError;
        }

        if (unanswered.Count > 0)
        {
            throw new NetlinkDecodeException(
                $"{operation}: the kernel answered {_sequences.Count - unanswered.Count} of the batch's {_sequences.Count} messages and reported no error; the batch's outcome is unknown.");
        }

        return generation;
    }

    /// <summary>The sequence number of the first message the kernel refused in <see cref="Commit"/>, if any.</summary>
    public uint? FailedSequence { get; private set; }

    /// <summary>Room the replies to this batch take in the receive buffer before any is read.</summary>
    internal int ReplyBytes => (int)Math.Min(int.MaxValue / 2, ((long)_sequences.Count * ReplyBytesPerAck) + (_echoBytes * EchoBytesPerRequestByte) + ReplySlack);

    private string Describe(string operation, uint sequence)
    {
        if (sequence == _beginSequence)
        {
            return operation;
        }

        int index = _sequences.IndexOf(sequence);
        return index < 0 ? operation : $"{operation} (message {index + 1} of {_sequences.Count})";
    }

    private NetlinkWriter NewPage()
    {
        var page = new NetlinkWriter(_pages.Count == 0 ? 8192 : PageSize + (PageSize / 4));
        _pages.Add(page);
        return page;
    }
}
