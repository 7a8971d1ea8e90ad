namespace SnatTools.Core.Nftables.Analysis;

/// <summary>The source-NAT statements: masquerade (the output interface's address) and snat (given addresses).</summary>
public enum NftNatKind
{
    Masquerade,
    SourceNat,
}
