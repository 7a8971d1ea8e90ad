namespace SnatTools.Core.Nftables.Analysis;

/// <summary>A meta or ct key set from a register (`meta mark set 0x1`, `ct mark set meta mark`): <paramref name="Target"/> names the key, <paramref name="Value"/> is what the register held.</summary>
public sealed record NftSetStatement(NftOperand Target, NftOperand Value) : NftStatement
{
    public override string ToString() => $"[ {Target} set {Value} ]";
}
