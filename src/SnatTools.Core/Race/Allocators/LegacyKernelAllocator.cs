using System.Runtime.CompilerServices;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Race;

/// <summary>
/// Source-port choice of kernels before 5.0: get_unique_tuple in net/netfilter/nf_nat_core.c
/// (the same steps as today) with nf_nat_l4proto_unique_tuple from
/// net/netfilter/nf_nat_proto_common.c, the allocator the 2017-2018 incident reports describe.
/// </summary>
internal struct LegacyKernelAllocator : IPortAllocator
{
    private SnatAlgorithm _algorithm;
    private bool _ruleRangeGiven;
    private int _hashRunLength;
    private PortRange _earlierFlows;
    private ushort _rover;
    private ushort _hashOffset;

    public static SnatKernel Kernel => SnatKernel.Legacy;

    /// <summary>Every release before <see cref="CurrentKernelAllocator.FirstRelease"/>.</summary>
    public static Version FirstRelease { get; } = new(0, 0);

    /// <summary>Only --random-fully drew a fresh random start; --random hashed the destination, plain rules took the rover.</summary>
    public static PortChoice ChoiceFor(SnatAlgorithm algorithm) =>
        algorithm == SnatAlgorithm.RandomFully ? PortChoice.FreshRandom : PortChoice.Other;

    public void Prepare(SnatRaceScenario scenario, PortTable table)
    {
        _algorithm = scenario.Algorithm;
        _ruleRangeGiven = scenario.NatPortRange is not null;
        _earlierFlows = EarlierFlows.Range(scenario);
        switch (_algorithm)
        {
            case SnatAlgorithm.Random:
                // Every earlier flow to this destination started at the same hashed offset and took
                // the first free port: they form one run, marked per burst (the hash is per boot).
                _hashRunLength = scenario.ExistingConnections;
                break;
            case SnatAlgorithm.KeepOriginal:
                EarlierFlows.KeptOriginalPorts(scenario, table);
                break;
            default:
                EarlierFlows.SpreadEvenly(scenario, table);
                break;
        }
    }

    /// <summary>The rover anywhere, left by earlier traffic; the destination's hash fixed per boot, drawn per burst so that bursts stand for different hosts.</summary>
    public void BeginBurst(PortTable table, ref Pcg32 random)
    {
        _rover = random.NextUInt16();
        _hashOffset = random.NextUInt16();
        for (int i = 0; i < _hashRunLength; i++)
        {
            table.Confirm(_earlierFlows.Min + (unchecked((ushort)(_hashOffset + i)) % _earlierFlows.Size));
        }
    }

    /// <summary>get_unique_tuple (SRC manip); steps 1 and 2 do not apply, as in <see cref="CurrentKernelAllocator"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Choose(PortTable table, ref Pcg32 random, int originalPort, int rangeMin, int rangeSize) =>
        GetUniqueTuple(table, ref random, _algorithm, _ruleRangeGiven, rangeMin, rangeSize, originalPort, ref _rover, _hashOffset, _hashRunLength);

    /// <summary><see cref="Choose"/> with the rule and the inherited state given.</summary>
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
        int hashRunTaken) =>
        algorithm == SnatAlgorithm.KeepOriginal && KeptOriginalPort.Keeps(table, ref random, ruleRangeGiven, rangeMin, rangeSize, originalPort)
            ? originalPort
            : L4protoUniqueTuple(table, ref random, algorithm, rangeMin, rangeSize, ref rover, hashOffset, hashRunTaken);

    /// <summary>
    /// nf_nat_l4proto_unique_tuple (nf_nat_proto_common.c; the rover is tcp_port_rover, one
    /// static u16 per protocol in nf_nat_proto_tcp.c, shared by every CPU without a lock; the hash
    /// is what secure_port gives --random: secure_ipv4_port_ephemeral(NAT address, destination
    /// address, destination port), the same start for every flow to one destination, past the
    /// <paramref name="hashRunTaken"/> earlier flows that took the ports after it): <c>off</c> = secure_port hash for
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
            int port = rangeMin + KeptOriginalPort.Offset(off, rangeSize);

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

}
