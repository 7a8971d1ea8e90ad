namespace SnatTools.Core.Race;

/// <summary>How an allocator picks a port for one algorithm: what the formulas and the equivalence of runs rely on.</summary>
internal enum PortChoice
{
    /// <summary>Always a fresh random start, then linear probing: collisions are random picks meeting.</summary>
    FreshRandom,

    /// <summary>The original port when it looks free, otherwise a fresh random start.</summary>
    KeepOrFreshRandom,

    /// <summary>Anything else (a shared rover, a hashed start): no formula.</summary>
    Other,
}
