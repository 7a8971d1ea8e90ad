using System.Runtime.CompilerServices;

namespace SnatTools.Core.Race;

/// <summary>
/// Source-port choice of current kernels (5.0 and later), step by step as
/// net/netfilter/nf_nat_core.c does it for a SYN leaving through MASQUERADE/SNAT to one NAT
/// address. Only the port is modelled: every connection shares the NAT address, destination
/// address and destination port, so "the reply tuple is taken" means "the NAT port is taken".
/// </summary>
internal static class CurrentKernelAllocator
{
    // NF_NAT_MAX_ATTEMPTS in nf_nat_core.c.
    private const int MaxAttempts = 128;

    /// <summary>
    /// get_unique_tuple (SRC manip). Step 1 (keep the original tuple if the original source
    /// address is in the NAT range, or reuse the mapping of the same source socket found by
    /// find_appropriate_src) never applies: a client's address is not the NAT address, and a
    /// burst has one flow per source socket. Step 2 (find_best_ips_proto) picks the one NAT
    /// address. Step 3 and the last chance follow.
    /// </summary>
    /// <param name="ruleRangeGiven">The rule has --to-ports (NF_NAT_RANGE_PROTO_SPECIFIED).</param>
    /// <param name="randomAll">The rule has NF_NAT_RANGE_PROTO_RANDOM or _RANDOM_FULLY (NF_NAT_RANGE_PROTO_RANDOM_ALL).</param>
    /// <param name="rangeMin">First port of the NAT range for this connection (the rule's, or the default by original port).</param>
    /// <param name="rangeSize">Ports in that range.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetUniqueTuple(PortTable table, ref Pcg32 random, bool randomAll, bool ruleRangeGiven, int rangeMin, int rangeSize, int originalPort)
    {
        // Step 3: "only bother mapping if it's not already in range and unique" — skipped with a random flag.
        if (!randomAll)
        {
            if (ruleRangeGiven)
            {
                // l4proto_in_range && (min_proto == max_proto || !nf_nat_used_tuple): a one-port
                // range keeps the port even when it is taken (the confirm then fails).
                bool inRange = originalPort >= rangeMin && originalPort < rangeMin + rangeSize;
                if (inRange && (rangeSize == 1 || !table.IsTaken(originalPort, ref random)))
                {
                    return originalPort;
                }
            }
            else if (!table.IsTaken(originalPort, ref random))
            {
                // nf_nat_used_tuple: only confirmed entries are seen, so a concurrent SYN with the
                // same original port on another CPU keeps it too. This is the race.
                return originalPort;
            }
        }

        return L4protoUniqueTuple(table, ref random, rangeMin, rangeSize);
    }

    /// <summary>
    /// nf_nat_l4proto_unique_tuple for TCP/UDP SRC manip: <c>off = get_random_u16()</c> for
    /// plain, RANDOM and RANDOM_FULLY alike (the flags only decide whether step 3 ran), then
    /// rounds of 128, 64, 32, 16 and 8 consecutive ports from <c>min + off % range_size</c>, a new
    /// random <c>off</c> per round: 248 attempts at most, then the last port tried is kept even
    /// though it is taken. <c>off</c> is a u16, so <c>off % 64512</c> draws ports 1024-2047 twice
    /// as often as the others, and <c>off++</c> wraps at 65536.
    /// </summary>
    public static int L4protoUniqueTuple(PortTable table, ref Pcg32 random, int rangeMin, int rangeSize)
    {
        ushort off = random.NextUInt16();
        int attempts = Math.Min(rangeSize, MaxAttempts);
        int port = rangeMin;
        while (true)
        {
            for (int i = 0; i < attempts; i++, off++)
            {
                port = rangeMin + Offset(off, rangeSize);

                // nf_nat_used_tuple_harder: in the last 32 attempts of a round it may evict a
                // colliding entry in TIME_WAIT. Not modelled: existing connections are taken as live.
                if (!table.IsTaken(port, ref random))
                {
                    return port;
                }
            }

            if (attempts >= rangeSize || attempts < 16)
            {
                return port;
            }

            attempts /= 2;
            off = random.NextUInt16();
        }
    }

    /// <summary><c>off % range_size</c> for a u16 <c>off</c>; skips the division for the default range, where off is mostly below the size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Offset(int off, int rangeSize) => off < rangeSize ? off : off < 2 * rangeSize ? off - rangeSize : off % rangeSize;
}
