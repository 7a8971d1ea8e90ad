namespace SnatTools.Core.Nftables.Analysis;

/// <summary>A generated number (numgen): a counter or random value modulo <paramref name="Modulus"/>, plus <paramref name="Offset"/>; host byte order.</summary>
public sealed record NumgenOperand(bool Random, uint Modulus, uint Offset) : NftOperand
{
    public override int Length => 4;

    public override string ToString() => "numgen";
}
