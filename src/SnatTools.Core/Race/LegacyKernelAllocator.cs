using System.Runtime.CompilerServices;

namespace SnatTools.Core.Race;

/// <summary>
/// Source-port choice of kernels before 5.0: get_unique_tuple in net/netfilter/nf_nat_core.c
/// (the same steps as today) with nf_nat_l4proto_unique_tuple from
/// net/netfilter/nf_nat_proto_common.c, the allocator the 2017-2018 incident reports describe.
/// </summary>
internal static class LegacyKernelAllocator
{
    /// <summary>get_unique_tuple (SRC manip); steps 1 and 2 do not apply, as in <see cref="CurrentKernelAllocator"/>.</summary>
    /// <param name="rover">tcp_port_rover: one static u16 per protocol (nf_nat_proto_tcp.c), shared by every CPU without a lock.</param>
    /// <param name="hashOffset">
    /// What secure_port gives <c>--random</c>: secure_ipv4_port_ephemeral(NAT address, destination
    /// address, destination port), a keyed hash without the source, so the same start for every
    /// flow to one destination (truncated to the u16 <c>off</c>).
    /// </param>
    /// <param name="hashRunTaken">
    /// With <c>--random</c>: existing connections to the destination sit on the ports of the
    /// offsets right after <paramref name="hashOffset"/> (each started there and took the first
    /// free port), and the table has them; a new flow would probe past them all. Their number, to
    /// skip those probes at once (the result is the same).
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetUniqueTuple(
        PortTable table,
        ref Pcg32 random,
        SnatAlgorithm algorithm,
        bool ruleRangeGiven,
        int rangeMin,
        int rangeSize,
        int originalPort,
        ref ushort rover,
        ushort hashOffset,
        int hashRunTaken)
    {
        // Step 3, unchanged since (NF_NAT_RANGE_PROTO_RANDOM_ALL covers both flags since 3.14).
        if (algorithm == SnatAlgorithm.KeepOriginal)
        {
            if (ruleRangeGiven)
            {
                bool inRange = originalPort >= rangeMin && originalPort < rangeMin + rangeSize;
                if (inRange && (rangeSize == 1 || !table.IsTaken(originalPort, ref random)))
                {
                    return originalPort;
                }
            }
            else if (!table.IsTaken(originalPort, ref random))
            {
                return originalPort;
            }
        }

        return L4protoUniqueTuple(table, ref random, algorithm, rangeMin, rangeSize, ref rover, hashOffset, hashRunTaken);
    }

    /// <summary>
    /// nf_nat_l4proto_unique_tuple (nf_nat_proto_common.c): <c>off</c> = secure_port hash for
    /// RANDOM, prandom_u32() for RANDOM_FULLY, else <c>*rover</c>; then probe the whole range
    /// from <c>min + off % range_size</c>; a plain rule stores the chosen <c>off</c> back into
    /// the rover. The next allocation starts at the port just handed out; until that entry is
    /// confirmed it looks free, so concurrent SYNs on other CPUs get the very same port, whatever
    /// their original ports were.
    /// </summary>
    public static int L4protoUniqueTuple(
        PortTable table,
        ref Pcg32 random,
        SnatAlgorithm algorithm,
        int rangeMin,
        int rangeSize,
        ref ushort rover,
        ushort hashOffset,
        int hashRunTaken)
    {
        ushort off;
        int tried = 0;
        switch (algorithm)
        {
            case SnatAlgorithm.Random:
                off = unchecked((ushort)(hashOffset + hashRunTaken));
                tried = hashRunTaken;
                break;
            case SnatAlgorithm.RandomFully:
                off = (ushort)random.NextUInt32();
                break;
            default:
                off = rover;
                break;
        }

        for (; ; off++)
        {
            int port = rangeMin + Offset(off, rangeSize);

            // for (i = 0; ; ++off) { ...; if (++i != range_size && nf_nat_used_tuple(...)) continue; ... }
            if (++tried != rangeSize && table.IsTaken(port, ref random))
            {
                continue;
            }

            if (algorithm == SnatAlgorithm.KeepOriginal)
            {
                rover = off;
            }

            return port;
        }
    }

    /// <summary><c>off % range_size</c> for a u16 <c>off</c>; skips the division for the default range, where off is mostly below the size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Offset(int off, int rangeSize) => off < rangeSize ? off : off < 2 * rangeSize ? off - rangeSize : off % rangeSize;
}
