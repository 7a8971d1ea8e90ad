using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Lab;

/// <summary>
/// The few rtnetlink requests the lab needs (uapi linux/rtnetlink.h, if_link.h, veth.h,
/// if_addr.h): veth pairs created straight into their namespaces (nothing ever appears in the
/// host's namespace), links up, addresses and routes. One socket per namespace.
/// </summary>
public sealed class RouteNetlink : IDisposable
{
    private const int NetlinkRoute = 0;

    private const ushort RtmNewLink = 16;
    private const ushort RtmGetLink = 18;
    private const ushort RtmNewAddr = 20;
    private const ushort RtmNewRoute = 24;

    private const ushort IflaIfname = 3;
    private const ushort IflaLinkInfo = 18;
    private const ushort IflaNetNsFd = 28;
    private const ushort IflaNumTxQueues = 31;
    private const ushort IflaNumRxQueues = 32;
    private const ushort IflaInfoKind = 1;
    private const ushort IflaInfoData = 2;
    private const ushort VethInfoPeer = 1;

    private const ushort IfaAddress = 1;
    private const ushort IfaLocal = 2;

    private const ushort RtaDst = 1;
    private const ushort RtaOif = 4;
    private const ushort RtaGateway = 5;

    private const int IfinfomsgLength = 16;
    private const uint IffUp = 1;

    private readonly NetlinkSocket _socket;
    private readonly NetlinkWriter _writer = new();

    public RouteNetlink(string networkNamespace)
    {
        NetworkNamespaceName = networkNamespace;
        _socket = NetlinkSocket.Open(NetlinkRoute, networkNamespace);
    }

    public string NetworkNamespaceName { get; }

    /// <summary>
    /// Creates veth <paramref name="name"/> here and its peer <paramref name="peerName"/> inside
    /// <paramref name="peerNamespace"/>, each with one queue per CPU so that every CPU can
    /// carry its own flows.
    /// </summary>
    public void AddVethPair(string name, string peerName, string peerNamespace, int queues)
    {
        string? peerPath = NetworkNamespace.ResolvePath(peerNamespace);
        int peerFd = Libc.open(peerPath!, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (peerFd < 0)
        {
            throw NetlinkException.FromErrno(Libc.LastErrno, $"open {peerPath}");
        }

        try
        {
            int start = Begin(RtmNewLink, NetlinkFlags.Create | NetlinkFlags.Excl);
            PutIfinfomsg(0, 0, 0);
            _writer.PutString(IflaIfname, name);
            _writer.PutU32(IflaNumTxQueues, (uint)queues);
            _writer.PutU32(IflaNumRxQueues, (uint)queues);
            int linkInfo = _writer.BeginNested(IflaLinkInfo);
            _writer.PutString(IflaInfoKind, "veth");
            int data = _writer.BeginNested(IflaInfoData);
            int peer = _writer.BeginNested(VethInfoPeer);
            PutIfinfomsg(0, 0, 0);
            _writer.PutString(IflaIfname, peerName);
            _writer.PutU32(IflaNetNsFd, (uint)peerFd);
            _writer.PutU32(IflaNumTxQueues, (uint)queues);
            _writer.PutU32(IflaNumRxQueues, (uint)queues);
            _writer.EndNested(peer);
            _writer.EndNested(data);
            _writer.EndNested(linkInfo);
            Execute(start, $"RTM_NEWLINK veth {name}/{peerName}");
        }
        finally
        {
            Libc.close(peerFd);
        }
    }

    public int GetLinkIndex(string name)
    {
        int start = Begin(RtmGetLink, NetlinkFlags.None);
        PutIfinfomsg(0, 0, 0);
        _writer.PutString(IflaIfname, name);
        _writer.EndMessage(start);
        int index = 0;
        _socket.Request(_writer.WrittenSpan, $"RTM_GETLINK {name}", (in NetlinkMessage message) =>
        {
            if (message.Payload.Length < IfinfomsgLength)
            {
                throw new NetlinkDecodeException("RTM_NEWLINK reply shorter than struct ifinfomsg");
            }

            index = BinaryPrimitives.ReadInt32LittleEndian(message.Payload[4..]);
            return false;
        });
        return index;
    }

    public void SetLinkUp(string name)
    {
        int index = GetLinkIndexCached(name); // before Begin: the lookup reuses the writer
        int start = Begin(RtmNewLink, NetlinkFlags.None);
        PutIfinfomsg(index, IffUp, IffUp);
        Execute(start, $"RTM_NEWLINK {name} up");
    }

    public void AddAddress(string link, IPAddress address, int prefixLength)
    {
        int index = GetLinkIndexCached(link);
        int start = Begin(RtmNewAddr, NetlinkFlags.Create | NetlinkFlags.Replace);
        Span<byte> ifaddrmsg = stackalloc byte[8];
        ifaddrmsg.Clear();
        ifaddrmsg[0] = (byte)Family(address);
        ifaddrmsg[1] = (byte)prefixLength;
        BinaryPrimitives.WriteInt32LittleEndian(ifaddrmsg[4..], index);
        _writer.PutRaw(ifaddrmsg);
        _writer.PutAttribute(IfaLocal, address.GetAddressBytes());
        _writer.PutAttribute(IfaAddress, address.GetAddressBytes());
        Execute(start, $"RTM_NEWADDR {address}/{prefixLength} on {link}");
    }

    /// <summary>A default route (0.0.0.0/0 or ::/0) via <paramref name="gateway"/> on <paramref name="link"/>.</summary>
    public void AddDefaultRoute(string link, IPAddress gateway)
    {
        int index = GetLinkIndexCached(link);
        int start = Begin(RtmNewRoute, NetlinkFlags.Create | NetlinkFlags.Replace);
        Span<byte> rtmsg = stackalloc byte[12];
        rtmsg.Clear();
        rtmsg[0] = (byte)Family(gateway);
        rtmsg[4] = 254; // RT_TABLE_MAIN
        rtmsg[5] = 4;   // RTPROT_STATIC
        rtmsg[6] = 0;   // RT_SCOPE_UNIVERSE
        rtmsg[7] = 1;   // RTN_UNICAST
        _writer.PutRaw(rtmsg);
        _writer.PutAttribute(RtaGateway, gateway.GetAddressBytes());
        _writer.PutU32(RtaOif, (uint)index);
        Execute(start, $"RTM_NEWROUTE default via {gateway}");
    }

    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    private int GetLinkIndexCached(string name)
    {
        if (!_indexes.TryGetValue(name, out int index))
        {
            index = GetLinkIndex(name);
            _indexes[name] = index;
        }

        return index;
    }

    private int Begin(ushort type, NetlinkFlags flags)
    {
        _writer.Reset();
        return _writer.BeginMessage(type, NetlinkFlags.Request | NetlinkFlags.Ack | flags, _socket.NextSequence());
    }

    private void PutIfinfomsg(int index, uint flags, uint change)
    {
        Span<byte> ifinfomsg = stackalloc byte[IfinfomsgLength];
        ifinfomsg.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(ifinfomsg[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(ifinfomsg[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(ifinfomsg[12..], change);
        _writer.PutRaw(ifinfomsg);
    }

    private void Execute(int start, string operation)
    {
        _writer.EndMessage(start);
        _socket.Request(_writer.WrittenSpan, operation, null);
    }

    private static int Family(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? Libc.AF_INET6 : Libc.AF_INET;

    public void Dispose() => _socket.Dispose();
}
