using System.Buffers.Binary;
using System.Text;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Xtables;

/// <summary>
/// Resolves ipset indexes to names over the ipset getsockopt interface (uapi
/// linux/netfilter/ipset/ip_set.h: SO_IP_SET 83, IP_SET_OP_VERSION, IP_SET_OP_GET_BYINDEX), as
/// the iptables set extension does to print --match-set. The raw socket is created in the
/// rule's namespace, because ipsets are per namespace.
/// </summary>
public sealed class IpSetNames : IDisposable
{
    private const int SoIpSet = 83;
    private const uint OpVersion = 0x100;
    private const uint OpGetByIndex = 0x7;
    private const int MaxNameLength = 32;

    private readonly IXtablesTransport _socket;
    private readonly uint _version;
    private readonly Dictionary<ushort, string?> _cache = [];

    private IpSetNames(IXtablesTransport socket, uint version)
    {
        _socket = socket;
        _version = version;
    }

    /// <summary>Opens the resolver in a namespace; null when the kernel has no ipset support there.</summary>
    public static IpSetNames? TryOpen(string? networkNamespace, IKernelDialer? dialer = null)
    {
        // The ipset options live on an IPv4 raw socket at SOL_IP, as the x_tables ones do.
        var socket = (dialer ?? KernelDialer.Live).OpenXtables(isIPv6: false, networkNamespace);

        // struct ip_set_req_version { unsigned int op; unsigned int version; }
        Span<byte> request = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(request, OpVersion);
        if (socket.GetOption(SoIpSet, request, out _) != 0)
        {
            socket.Dispose();
            return null;
        }

        return new IpSetNames(socket, BinaryPrimitives.ReadUInt32LittleEndian(request[4..]));
    }

    public string? NameOf(ushort index)
    {
        if (_cache.TryGetValue(index, out var cached))
        {
            return cached;
        }

        // struct ip_set_req_get_set { unsigned int op; unsigned int version; union { char name[32]; u16 index; } set; }
        Span<byte> request = stackalloc byte[8 + MaxNameLength];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, OpGetByIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(request[4..], _version);
        BinaryPrimitives.WriteUInt16LittleEndian(request[8..], index);
        string? name = null;
        if (_socket.GetOption(SoIpSet, request, out _) == 0 && request[8] != 0)
        {
            var bytes = request.Slice(8, MaxNameLength);
            int end = bytes.IndexOf((byte)0);
            name = Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
        }

        _cache[index] = name;
        return name;
    }

    public void Dispose() => _socket.Dispose();
}
