using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Tests.Fakes;

/// <summary>
/// Wraps a dialer (normally the real kernel) and records every call made through it, with the
/// kernel's answers, as a <see cref="KernelConversation"/>: the Recorder of google/nftables'
/// internal/nftest. Golden files are recorded this way from a real run.
/// </summary>
public sealed class RecordingDialer(IKernelDialer inner) : IKernelDialer
{
    private readonly object _gate = new();

    public KernelConversation Conversation { get; } = new();

    /// <summary>(send bytes, receive bytes) of every Reserve, in order.</summary>
    public List<(int Send, int Receive)> Reservations { get; } = [];

    /// <summary>Runs right after a batch (a datagram sent from several pages or holding BATCH_BEGIN) went out, before any reply is read.</summary>
    public Action<INetlinkTransport>? AfterBatchSent { get; set; }

    public string XtablesLockPath => inner.XtablesLockPath;

    public void CheckNamespace(string? networkNamespace) => inner.CheckNamespace(networkNamespace);

    public INetlinkTransport OpenNetlink(int protocol, string? networkNamespace) =>
        new Netlink(this, protocol, inner.OpenNetlink(protocol, networkNamespace));

    public IXtablesTransport OpenXtables(bool isIPv6, string? networkNamespace) =>
        new Xtables(this, inner.OpenXtables(isIPv6, networkNamespace));

    private void Add(KernelCall call)
    {
        lock (_gate)
        {
            Conversation.Calls.Add(call);
        }
    }

    private sealed class Netlink(RecordingDialer recorder, int protocol, INetlinkTransport inner) : INetlinkTransport
    {
        private readonly List<(NetlinkCall Call, HashSet<uint> Sequences)> _calls = [];

        public string NamespaceId => inner.NamespaceId;

        public void Send(ReadOnlySpan<byte> datagram)
        {
            Record(datagram.ToArray());
            inner.Send(datagram);
            if (new NetlinkDatagram(datagram.ToArray()).IsBatch)
            {
                recorder.AfterBatchSent?.Invoke(inner);
            }
        }

        public void Send(IReadOnlyList<ReadOnlyMemory<byte>> segments)
        {
            Record(segments.SelectMany(s => s.ToArray()).ToArray());
            inner.Send(segments);
            recorder.AfterBatchSent?.Invoke(inner);
        }

        public int Receive(ref byte[] buffer)
        {
            int length = inner.Receive(ref buffer);
            var reply = buffer.AsSpan(0, length).ToArray();
            var first = new NetlinkDatagram(reply).Messages.FirstOrDefault();

            // A reply belongs to the request whose messages carry its sequence number.
            var owner = first is null ? null : _calls.LastOrDefault(c => c.Sequences.Contains(first.Sequence)).Call;
            (owner ?? _calls.LastOrDefault().Call)?.Replies.Add(reply);
            return length;
        }

        public void Reserve(int sendBytes, int receiveBytes)
        {
            lock (recorder._gate)
            {
                recorder.Reservations.Add((sendBytes, receiveBytes));
            }

            inner.Reserve(sendBytes, receiveBytes);
        }

        public void Dispose() => inner.Dispose();

        private void Record(byte[] request)
        {
            var call = new NetlinkCall(protocol, request, []);
            _calls.Add((call, new NetlinkDatagram(request).Sequences.ToHashSet()));
            recorder.Add(call);
        }
    }

    private sealed class Xtables(RecordingDialer recorder, IXtablesTransport inner) : IXtablesTransport
    {
        public bool IsIPv6 => inner.IsIPv6;

        public bool HasTable(string table)
        {
            bool has = inner.HasTable(table);
            recorder.Add(new XtablesCall(XtablesOperation.HasTable, IsIPv6, 0, table, [], has ? 0 : Errno.ENOENT, []));
            return has;
        }

        public int GetOption(int option, Span<byte> value, out int length)
        {
            var input = value.ToArray();
            int errno = inner.GetOption(option, value, out length);
            recorder.Add(new XtablesCall(XtablesOperation.GetOption, IsIPv6, option, null, input, errno, value[..Math.Max(0, Math.Min(length, value.Length))].ToArray()));
            return errno;
        }

        public int SetOption(int option, ReadOnlySpan<byte> value)
        {
            int errno = inner.SetOption(option, value);
            recorder.Add(new XtablesCall(XtablesOperation.SetOption, IsIPv6, option, null, value.ToArray(), errno, []));
            return errno;
        }

        public int Replace(ReadOnlySpan<byte> replace, Span<byte> oldCounters)
        {
            int errno = inner.Replace(replace, oldCounters);
            recorder.Add(new XtablesCall(XtablesOperation.Replace, IsIPv6, LegacyTableWriter.SoSetReplace, null, replace.ToArray(), errno, oldCounters.ToArray()));
            return errno;
        }

        public void Dispose() => inner.Dispose();
    }
}
