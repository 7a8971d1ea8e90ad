namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// The data a map lookup (lookup with a data register) found for <paramref name="Key"/> in set
/// <paramref name="SetName"/>. <paramref name="Contents"/> holds the map's description and elements,
/// or null when they could not be read.
/// </summary>
public sealed record MapOperand(NftOperand Key, string SetName, NftSetContents? Contents) : NftOperand
{
    /// <summary>The data length the map declares; a full register when the map could not be read.</summary>
    public override int Length => (int)(Contents?.Set.DataLength ?? 16);

    public bool IsAnonymous => NftSetNames.IsAnonymous(SetName);

    public override string ToString() => $"map {SetName}";
}
