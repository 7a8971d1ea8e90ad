namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// A hash (hash): jhash of <paramref name="Source"/> (with <paramref name="Seed"/> when one was
/// given) or, when <paramref name="Symmetric"/>, the symmetric hash of the flow; modulo
/// <paramref name="Modulus"/>, plus <paramref name="Offset"/>; host byte order.
/// </summary>
public sealed record HashOperand(bool Symmetric, NftOperand? Source, uint Modulus, uint? Seed, uint Offset) : NftOperand
{
    public override int Length => 4;

    public override string ToString() => Symmetric ? "symhash" : $"jhash({Source})";
}
