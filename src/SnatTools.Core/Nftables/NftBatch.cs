using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>
/// One nf_tables transaction: NFNL_MSG_BATCH_BEGIN (with NFNL_BATCH_GENID when a generation is
/// given), the messages, NFNL_MSG_BATCH_END — applied by the kernel all or nothing. When the
/// ruleset moved past the generation the caller read, the kernel refuses the whole batch with
/// ERESTART before touching anything (net/netfilter/nfnetlink.c, nfnetlink_rcv_batch), which
/// <see cref="Commit"/> reports as <see cref="NftGenerationChangedException"/>.
/// </summary>
public sealed class NftBatch
{
    // uapi linux/netfilter/nfnetlink.h
    private const ushort BatchBegin = 0x10;
    private const ushort BatchEnd = 0x11;
    private const ushort BatchGenIdAttribute = 1;

    private readonly NetlinkSocket _socket;
    private readonly NetlinkWriter _writer = new(8192);
    private readonly List<uint> _sequences = [];
    private int _open = -1;
    private bool _ended;

    public NftBatch(NetlinkSocket socket, uint generationId = 0)
    {
        _socket = socket;
        int start = _writer.BeginMessage(BatchBegin, NetlinkFlags.Request, socket.NextSequence());
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
    public uint LastSequence => _sequences[^1];

    /// <summary>
    /// Starts an nf_tables message (NFT_MSG_*) for <paramref name="family"/> (NFPROTO_*); the
    /// caller then writes its attributes into <see cref="Writer"/> and calls <see cref="EndMessage"/>.
    /// </summary>
    public NetlinkWriter BeginMessage(byte message, byte family, NetlinkFlags flags)
    {
        if (_open >= 0 || _ended)
        {
            throw new InvalidOperationException("the previous batch message is still open, or the batch was committed");
        }

        uint sequence = _socket.NextSequence();
        _sequences.Add(sequence);
        _open = _writer.BeginMessage(
            NftMessage.Type(message),
            NetlinkFlags.Request | NetlinkFlags.Ack | flags,
            sequence);
        _writer.PutNfGenMsg(family, NfnetlinkSubsystem.Version0, 0);
        return _writer;
    }

    public NetlinkWriter Writer => _writer;

    public void EndMessage()
    {
        _writer.EndMessage(_open);
        _open = -1;
    }

    /// <summary>
    /// Sends the batch and waits for the kernel's verdict on every message. Returns the
    /// generation after the commit. Errors: <see cref="NftGenerationChangedException"/> when the
    /// generation moved, <see cref="NetlinkException"/> for the first message the kernel refused
    /// (the whole batch is then rolled back by the kernel). Messages the kernel sends back besides
    /// the ACKs (the notifications NLM_F_ECHO asks for, e.g. a new rule with its handle) go to
    /// <paramref name="onReply"/>, valid only during the call.
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

        // The batch is processed inside sendmsg, so every ACK and error is queued before the
        // GETGEN reply that follows; reading up to that reply collects them all, whatever the
        // kernel version's ACK habits for BEGIN/END.
        _socket.Send(_writer.WrittenSpan);
        uint syncSequence = _socket.NextSequence();
        var sync = new NetlinkWriter(64);
        int start = sync.BeginMessage(NftMessage.Type(NftMessage.GetGen), NetlinkFlags.Request, syncSequence);
        sync.PutNfGenMsg(0, NfnetlinkSubsystem.Version0, 0);
        sync.EndMessage(start);
        _socket.Send(sync.WrittenSpan);

        NetlinkException? firstError = null;
        uint generation = 0;
        _socket.Receive((in NetlinkMessage message) =>
        {
            if (message.Type == NetlinkMessageType.Error)
            {
                int errno = message.ErrorCode;
                if (errno != 0 && firstError is null)
                {
                    firstError = NetlinkException.FromErrno(errno, operation, message.ExtendedAckMessage);
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

        if (firstError is { Errno: Errno.ERESTART })
        {
            throw new NftGenerationChangedException(operation);
        }

        if (firstError is not null)
        {
            throw firstError;
        }

        return generation;
    }
}
