using System.Net;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Nat;

/// <summary>
/// A decoded source-NAT range, whatever it was stored in (an x_tables struct or nf_tables
/// registers): flags, the address range (null when MAP_IPS is not set) and the port range
/// (null when PROTO_SPECIFIED is not set). Ports are host-order numbers.
/// </summary>
public sealed record NatRange(
    NatRangeFlags Flags,
    IPAddress? MinAddress,
    IPAddress? MaxAddress,
    ushort MinPort,
    ushort MaxPort,
    ushort BasePort = 0)
{
    public bool RandomFully => (Flags & NatRangeFlags.ProtoRandomFully) != 0;

    public bool Random => (Flags & NatRangeFlags.ProtoRandom) != 0;

    public bool Persistent => (Flags & NatRangeFlags.Persistent) != 0;

    public bool HasAddresses => (Flags & NatRangeFlags.MapIps) != 0 && MinAddress is not null;

    public bool HasPorts => (Flags & NatRangeFlags.ProtoSpecified) != 0;

    /// <summary>"198.51.100.1" or "198.51.100.1-198.51.100.9"; null without MAP_IPS.</summary>
    public string? AddressText => !HasAddresses
        ? null
        : MaxAddress is null || MaxAddress.Equals(MinAddress) ? InetNtop.Format(MinAddress!) : $"{InetNtop.Format(MinAddress!)}-{InetNtop.Format(MaxAddress)}";

    /// <summary>"1024" or "1024-65535"; null without PROTO_SPECIFIED.</summary>
    public string? PortText => !HasPorts
        ? null
        : MinPort == MaxPort ? MinPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{MinPort}-{MaxPort}";
}
