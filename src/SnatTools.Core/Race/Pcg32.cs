using System.Runtime.CompilerServices;

namespace SnatTools.Core.Race;

/// <summary>
/// PCG-XSH-RR 64/32 (O'Neill, pcg-random.org): a small, fast generator whose streams are
/// reproducible from (seed, stream). A struct, used by ref: drawing never allocates.
/// </summary>
internal struct Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;
    private ulong _state;
    private readonly ulong _increment;

    public Pcg32(ulong seed, ulong stream)
    {
        _increment = (stream << 1) | 1UL;
        _state = 0;
        NextUInt32();
        _state += seed;
        NextUInt32();
    }

    /// <summary>Independent generator number <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static Pcg32 ForChunk(int seed, long index) => new(SplitMix((ulong)(uint)seed), SplitMix((ulong)index + 0x9E3779B97F4A7C15UL));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        ulong old = _state;
        _state = unchecked((old * Multiplier) + _increment);
        uint xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        int rotation = (int)(old >> 59);
        return (xorShifted >> rotation) | (xorShifted << ((-rotation) & 31));
    }

    /// <summary>A uniform 16-bit value, as get_random_u16() gives the kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort NextUInt16() => (ushort)(NextUInt32() >> 16);

    /// <summary>Uniform in [0, 1) with 32 bits of resolution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => NextUInt32() * (1.0 / 4294967296.0);

    /// <summary>Uniform in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public uint NextBelow(uint bound)
    {
        ulong product = (ulong)NextUInt32() * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            uint threshold = unchecked(0u - bound) % bound;
            while (low < threshold)
            {
                product = (ulong)NextUInt32() * bound;
                low = (uint)product;
            }
        }

        return (uint)(product >> 32);
    }

    private static ulong SplitMix(ulong value)
    {
        ulong z = unchecked(value + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
