namespace SnatTools.Core.Nftables;

/// <summary>A set's description and elements, for printing an anonymous set inline and for walking verdict maps.</summary>
public sealed record NftSetContents(NftSet Set, IReadOnlyList<NftSetElement> Elements);
