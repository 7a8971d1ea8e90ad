using System.Runtime.CompilerServices;

namespace SnatTools.Core.Race;

/// <summary>What every kernel's get_unique_tuple shares: step 3, and the u16 offset into a range.</summary>
internal static class KeptOriginalPort
{
    /// <summary>
    /// Step 3, "only bother mapping if it's not already in range and unique" (skipped for
    /// NF_NAT_RANGE_PROTO_RANDOM_ALL): whether the SYN keeps its original port. With --to-ports
    /// (l4proto_in_range &amp;&amp; (min_proto == max_proto || !nf_nat_used_tuple)) a one-port range
    /// keeps the port even when it is taken, and the confirm then fails. Without, nf_nat_used_tuple
    /// sees only confirmed entries, so a concurrent SYN with the same original port on another CPU
    /// keeps it too: the race.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Keeps(PortTable table, ref Pcg32 random, bool ruleRangeGiven, int rangeMin, int rangeSize, int originalPort)
    {
        if (ruleRangeGiven)
        {
            bool inRange = originalPort >= rangeMin && originalPort < rangeMin + rangeSize;
            return inRange && (rangeSize == 1 || !table.IsTaken(originalPort, ref random));
        }

        return !table.IsTaken(originalPort, ref random);
    }

    /// <summary><c>off % range_size</c> for a u16 <c>off</c>; skips the division for the default range, where off is mostly below the size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Offset(int off, int rangeSize) => off < rangeSize ? off : off < 2 * rangeSize ? off - rangeSize : off % rangeSize;
}
