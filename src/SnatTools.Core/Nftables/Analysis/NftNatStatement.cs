using SnatTools.Core.Nat;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// masq or nat snat with the registers of its range resolved. <paramref name="Family"/> is
/// NFTA_NAT_FAMILY (the address family of the registers; 0 for masquerade).
/// </summary>
public sealed record NftNatStatement(
    NftNatKind Kind,
    uint Family,
    NatRangeFlags Flags,
    NftRegisterValue? AddressMin,
    NftRegisterValue? AddressMax,
    NftRegisterValue? PortMin,
    NftRegisterValue? PortMax) : NftStatement
{
    public bool IsIPv6 => Family == NfProto.IPv6;

    /// <summary>addr_max names a register of its own (`a-b`), not addr_min's again.</summary>
    public bool HasAddressRange => AddressMax is { } max && AddressMin is { } min && max.Register != min.Register;

    /// <summary>proto_max names a register of its own (`:p-q`), not proto_min's again.</summary>
    public bool HasPortRange => PortMax is { } max && PortMin is { } min && max.Register != min.Register;

    public override string ToString() =>
        $"[ {(Kind == NftNatKind.Masquerade ? "masq" : $"nat snat {NfProto.Name((byte)Family)}")} addr {AddressMin?.Value}-{AddressMax?.Value} proto {PortMin?.Value}-{PortMax?.Value} flags 0x{(uint)Flags:x} ]";
}
