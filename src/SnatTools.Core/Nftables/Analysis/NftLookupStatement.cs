namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// lookup without a data register: <paramref name="Left"/> in (or not in) set <paramref name="SetName"/>;
/// with the verdict register as destination, a verdict map (vmap). <paramref name="Contents"/> holds
/// the set's description and elements, or null when they were not read.
/// </summary>
public sealed record NftLookupStatement(NftOperand Left, string SetName, bool Negated, bool IsVerdictMap, NftSetContents? Contents) : NftStatement
{
    public override string ToString() => $"[ lookup {Left} set {SetName}{(IsVerdictMap ? " dreg 0" : string.Empty)}{(Negated ? " 0x1" : string.Empty)} ]";
}
