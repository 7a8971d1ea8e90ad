using SnatTools.Core.Nat;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// A masquerade or snat statement as nft prints it, and what follows its "to" split into the
/// addresses ("198.51.100.0/24", "ip saddr map { ... }") and the ports ("1024-2048"), each null when
/// absent; <paramref name="Map"/> describes the map the addresses come from, when they do.
/// </summary>
public sealed record NftPrintedNat(string Text, string? Addresses, string? Ports, NatMap? Map);
