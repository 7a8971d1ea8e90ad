using System.Text;
using SnatTools.Core;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Tests.Fakes;

/// <summary>
/// A kernel in a test: an <see cref="IKernelDialer"/> whose sockets answer from scripts and from
/// a recorded <see cref="KernelConversation"/> (mdlayher/netlink's nltest.Dial and google/nftables'
/// internal/nftest, in one). Every request the core sends is kept in <see cref="Sent"/> with the
/// replies it got. Runs without root and never touches a real namespace: the only namespace it
/// knows is <see cref="NamespaceName"/>, which does not exist, so a path that bypasses the dialer
/// fails with NetworkNamespaceNotFound instead of reading the host.
/// </summary>
public sealed class FakeKernel : IKernelDialer, IDisposable
{
    private readonly object _gate = new();
    private readonly List<Func<NetlinkDatagram, IEnumerable<byte[]>?>> _netlinkScripts = [];
    private readonly List<Func<XtablesCall, (int Errno, byte[] Output)?>> _xtablesScripts = [];
    private readonly KernelConversation? _recording;
    private readonly bool _strict;
    private readonly bool[] _used;
    private readonly byte[]?[] _keys;

    /// <param name="recording">Answers for requests no script takes; null answers nothing.</param>
    /// <param name="strict">Each recorded call answers once, in order of recording (a golden replay); otherwise the first match answers every time.</param>
    public FakeKernel(KernelConversation? recording = null, bool strict = false)
    {
        _recording = recording;
        _strict = strict;
        _used = new bool[recording?.Calls.Count ?? 0];
        _keys = recording?.Calls.Select(c => c is NetlinkCall n ? n.Datagram.Normalized() : null).ToArray() ?? [];
        string id = Guid.NewGuid().ToString("N")[..8];
        NamespaceName = $"snattools-fake-{id}";
        NamespaceId = $"fake:[{id}]";
        XtablesLockPath = Path.Combine(Path.GetTempPath(), $"snattools-fake-{id}.lock");
    }

    /// <summary>The namespace name rules read from this kernel carry.</summary>
    public string NamespaceName { get; }

    public string NamespaceId { get; }

    public string XtablesLockPath { get; }

    /// <summary>Every call the core made, in order, with what it was answered.</summary>
    public List<KernelCall> Sent { get; } = [];

    /// <summary>(send bytes, receive bytes) of every Reserve, in order.</summary>
    public List<(int Send, int Receive)> Reservations { get; } = [];

    /// <summary>How many buffers each gathered send (a batch in pages) came from.</summary>
    public List<int> GatheredSends { get; } = [];

    public IEnumerable<NetlinkDatagram> SentBatches =>
        Sent.OfType<NetlinkCall>().Select(c => c.Datagram).Where(d => d.IsBatch);

    /// <summary>Adds a netlink script: it answers a request with reply datagrams, or returns null to pass it on.</summary>
    public FakeKernel OnNetlink(Func<NetlinkDatagram, IEnumerable<byte[]>?> script)
    {
        _netlinkScripts.Add(script);
        return this;
    }

    /// <summary>Adds an x_tables script: it answers a call with (errno, bytes out), or returns null to pass it on.</summary>
    public FakeKernel OnXtables(Func<XtablesCall, (int Errno, byte[] Output)?> script)
    {
        _xtablesScripts.Add(script);
        return this;
    }

    /// <summary>The recording's answer to <paramref name="request"/> (sequence numbers mapped to the request's), or null.</summary>
    public List<byte[]>? Replayed(NetlinkDatagram request)
    {
        if (_recording is null)
        {
            return null;
        }

        var key = request.Normalized();
        lock (_gate)
        {
            for (int i = 0; i < _recording.Calls.Count; i++)
            {
                if (_recording.Calls[i] is NetlinkCall call && !(_strict && _used[i]) && _keys[i].AsSpan().SequenceEqual(key))
                {
                    _used[i] = true;
                    var map = new Dictionary<uint, uint>();
                    var recorded = call.Datagram.Sequences;
                    for (int m = 0; m < recorded.Count; m++)
                    {
                        map[recorded[m]] = request.Sequences[m];
                    }

                    return call.Replies.Select(reply => KernelReplies.WithSequences(reply, map)).ToList();
                }
            }
        }

        return null;
    }

    /// <summary>Fails unless every call of a strict recording was made (nothing the real run sent is missing).</summary>
    public void AssertReplayedAll()
    {
        var missing = _recording?.Calls.Where((_, i) => !_used[i]).ToList() ?? [];
        Assert.True(missing.Count == 0,
            $"{missing.Count} recorded call(s) were never made, first: " +
            (missing.FirstOrDefault() is NetlinkCall n ? n.Datagram.Describe() : missing.FirstOrDefault()?.ToString()));
    }

    public void CheckNamespace(string? networkNamespace)
    {
        if (networkNamespace is not null && networkNamespace != NamespaceName)
        {
            throw new SnatToolsException(ErrorIds.NetworkNamespaceNotFound, ErrorKind.ObjectNotFound, $"the fake kernel has no namespace {networkNamespace}", networkNamespace);
        }
    }

    public INetlinkTransport OpenNetlink(int protocol, string? networkNamespace)
    {
        CheckNamespace(networkNamespace);
        return new FakeNetlinkTransport(this, protocol);
    }

    public IXtablesTransport OpenXtables(bool isIPv6, string? networkNamespace)
    {
        CheckNamespace(networkNamespace);
        return new FakeXtablesTransport(this, isIPv6);
    }

    public void Dispose() => File.Delete(XtablesLockPath);

    private List<byte[]> Answer(int protocol, byte[] request)
    {
        var datagram = new NetlinkDatagram(request);
        List<byte[]>? replies = null;
        foreach (var script in _netlinkScripts)
        {
            if (script(datagram) is { } answer)
            {
                replies = answer.ToList();
                break;
            }
        }

        replies ??= Replayed(datagram) ?? throw new FakeKernelException(Unexpected(datagram));
        lock (_gate)
        {
            Sent.Add(new NetlinkCall(protocol, request, replies));
        }

        return replies;
    }

    private (int Errno, byte[] Output) Answer(XtablesCall call)
    {
        (int Errno, byte[] Output)? answer = null;
        foreach (var script in _xtablesScripts)
        {
            if ((answer = script(call)) is not null)
            {
                break;
            }
        }

        if (answer is null && _recording is not null)
        {
            lock (_gate)
            {
                for (int i = 0; i < _recording.Calls.Count && answer is null; i++)
                {
                    if (_recording.Calls[i] is XtablesCall recorded && !(_strict && _used[i]) && recorded.Matches(call))
                    {
                        _used[i] = true;
                        answer = (recorded.Errno, recorded.Output);
                    }
                }
            }
        }

        if (answer is null)
        {
            var closest = _recording?.XtablesCalls.FirstOrDefault(c => c.Operation == call.Operation && c.IsIPv6 == call.IsIPv6 && c.Option == call.Option);
            throw new FakeKernelException($"the fake kernel has no answer for x_tables call {call}" +
                (closest is null ? string.Empty : $"; the recording has {closest}, first difference at byte {closest.Input.AsSpan().CommonPrefixLength(call.Input)}"));
        }

        lock (_gate)
        {
            Sent.Add(call with { Errno = answer.Value.Errno, Output = answer.Value.Output });
        }

        return answer.Value;
    }

    private string Unexpected(NetlinkDatagram request)
    {
        var text = new StringBuilder($"the fake kernel has no answer for this request:\n{request.Describe()}");
        var closest = _recording?.NetlinkCalls
            .Where(c => c.Datagram.Messages.Count > 0 && request.Messages.Count > 0 && c.Datagram.Messages[0].Type == request.Messages[0].Type)
            .Select(c => NetlinkDiff.Explain(c.Request, request.Bytes))
            .OfType<string>()
            .MinBy(diff => diff.Length);
        if (closest is not null)
        {
            text.Append("\nclosest recorded request differs:\n").Append(closest);
        }

        return text.ToString();
    }

    private sealed class FakeNetlinkTransport(FakeKernel kernel, int protocol) : INetlinkTransport
    {
        private readonly Queue<byte[]> _queue = new();

        public string NamespaceId => kernel.NamespaceId;

        public void Send(ReadOnlySpan<byte> datagram)
        {
            foreach (var reply in kernel.Answer(protocol, datagram.ToArray()))
            {
                _queue.Enqueue(reply);
            }
        }

        public void Send(IReadOnlyList<ReadOnlyMemory<byte>> segments)
        {
            lock (kernel._gate)
            {
                kernel.GatheredSends.Add(segments.Count);
            }

            Send(segments.SelectMany(s => s.ToArray()).ToArray());
        }

        public int Receive(ref byte[] buffer)
        {
            if (!_queue.TryDequeue(out var reply))
            {
                throw new FakeKernelException("the core waits for a reply the fake kernel never queued (a real socket would time out)");
            }

            if (ReferenceEquals(reply, KernelReplies.Overrun))
            {
                throw NetlinkException.FromErrno(Errno.ENOBUFS, "recv(netlink)");
            }

            if (reply.Length > buffer.Length)
            {
                buffer = new byte[Math.Max(reply.Length, buffer.Length * 2)];
            }

            reply.CopyTo(buffer, 0);
            return reply.Length;
        }

        public void Reserve(int sendBytes, int receiveBytes)
        {
            lock (kernel._gate)
            {
                kernel.Reservations.Add((sendBytes, receiveBytes));
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class FakeXtablesTransport(FakeKernel kernel, bool isIPv6) : IXtablesTransport
    {
        public bool IsIPv6 => isIPv6;

        public bool HasTable(string table) =>
            kernel.Answer(new XtablesCall(XtablesOperation.HasTable, isIPv6, 0, table, [], 0, [])).Errno == 0;

        public int GetOption(int option, Span<byte> value, out int length)
        {
            var (errno, output) = kernel.Answer(new XtablesCall(XtablesOperation.GetOption, isIPv6, option, null, value.ToArray(), 0, []));
            output.AsSpan(0, Math.Min(output.Length, value.Length)).CopyTo(value);
            length = output.Length;
            return errno;
        }

        public int SetOption(int option, ReadOnlySpan<byte> value) =>
            kernel.Answer(new XtablesCall(XtablesOperation.SetOption, isIPv6, option, null, value.ToArray(), 0, [])).Errno;

        public int Replace(ReadOnlySpan<byte> replace, Span<byte> oldCounters)
        {
            var (errno, output) = kernel.Answer(new XtablesCall(XtablesOperation.Replace, isIPv6, LegacyTableWriter.SoSetReplace, null, replace.ToArray(), 0, []));
            output.AsSpan(0, Math.Min(output.Length, oldCounters.Length)).CopyTo(oldCounters);
            return errno;
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>The fake kernel met a call it has no answer for: a test failure, never a product error (so no cmdlet code catches it).</summary>
public sealed class FakeKernelException(string message) : Exception(message);
