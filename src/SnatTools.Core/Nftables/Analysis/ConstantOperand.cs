namespace SnatTools.Core.Nftables.Analysis;

/// <summary>A constant an immediate expression loaded (addresses and ports in network byte order).</summary>
public sealed record ConstantOperand(byte[] Value) : NftOperand
{
    public override int Length => Value.Length;

    public override string ToString() => "immediate";
}
