using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Guard;

/// <summary>
/// Listens to every nf_tables ruleset change of one network namespace, as `nft monitor` does: a
/// NETLINK_NETFILTER socket that joined NFNLGRP_NFTABLES (7, uapi linux/netfilter/nfnetlink.h).
/// The socket is created on a dedicated thread inside the namespace (<see cref="NetworkNamespace.Run"/>,
/// which switches that thread back) and stays bound to it; it is read from the guard's thread.
/// <para>
/// The kernel sends every committed change to this group: net/netfilter/nf_tables_api.c,
/// nft_commit_notify() and nf_tables_gen_notify(), which end in nfnetlink_send(skb, net,
/// NETLINK_CB(skb).portid, NFNLGRP_NFTABLES, ...); each message header carries that port id (the
/// committing socket's) and nfgenmsg.res_id the new generation, and one NFT_MSG_NEWGEN closes
/// each transaction. When the kernel cannot queue an event it sets ENOBUFS on the socket
/// (netlink_broadcast / nfnetlink_set_err), which recv then reports once: events were lost.
/// </para>
/// </summary>
public sealed class NftEventSocket : INftEventSource
{
    public const int NfnlGroupNftables = 7;

    /// <summary>Events queue here between reads; a dockerd restart is a few hundred messages, a big kube-proxy sync thousands.</summary>
    public const int DefaultReceiveBuffer = 8 << 20;

    /// <summary>A flood that never pauses still returns to the guard's loop (to honour a deadline or a stop).</summary>
    private const int MaxDatagramsPerWait = 256;

    private readonly SocketNetlinkTransport _transport;
    private byte[] _buffer = new byte[64 * 1024];

    private NftEventSocket(SocketNetlinkTransport transport)
    {
        _transport = transport;
    }

    /// <param name="receiveBuffer">The socket's receive buffer in bytes (tests make it small to provoke ENOBUFS).</param>
    public static NftEventSocket Open(string? networkNamespace, int receiveBuffer = DefaultReceiveBuffer)
    {
        var transport = NetworkNamespace.Run(networkNamespace, () => SocketNetlinkTransport.OpenHere(NetlinkSocket.NetlinkNetfilter));
        try
        {
            transport.SetReceiveBuffer(receiveBuffer);
            transport.JoinGroup(NfnlGroupNftables);
            return new NftEventSocket(transport);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    public string NamespaceId => _transport.NamespaceId;

    public NftEventWait Wait(int timeoutMilliseconds, List<NftRulesetEvent> events)
    {
        int before = events.Count;
        int timeout = timeoutMilliseconds;
        try
        {
            // Drain what is queued now (without waiting again once something came), so one wake-up
            // handles a whole burst.
            for (int datagrams = 0; datagrams < MaxDatagramsPerWait && _transport.WaitReadable(timeout); datagrams++)
            {
                timeout = 0;
                int length = _transport.Receive(ref _buffer);
                var reader = new NetlinkMessageReader(_buffer.AsSpan(0, length));
                while (reader.TryNext(out var message))
                {
                    if (NftRulesetEvent.From(message) is { } change)
                    {
                        events.Add(change);
                    }
                }
            }
        }
        catch (NetlinkException ex) when (ex.Errno == Errno.ENOBUFS)
        {
            return NftEventWait.Overflow;
        }

        return events.Count > before ? NftEventWait.Events : NftEventWait.Timeout;
    }

    public void Dispose() => _transport.Dispose();
}
