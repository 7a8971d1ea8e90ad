using System.Runtime.CompilerServices;

namespace SnatTools.Core.Race;

/// <summary>
/// Source-port choice of current kernels (5.0 and later), step by step as
/// net/netfilter/nf_nat_core.c does it for a SYN leaving through MASQUERADE/SNAT to one NAT
/// address. Only the port is modelled: every connection shares the NAT address, destination
/// address and destination port, so "the reply tuple is taken" means "the NAT port is taken".
/// </summary>
internal struct CurrentKernelAllocator : IPortAllocator
{
    // NF_NAT_MAX_ATTEMPTS in nf_nat_core.c.
    private const int MaxAttempts = 128;

    private bool _keepOriginal;
    private bool _ruleRangeGiven;

    public static SnatKernel Kernel => SnatKernel.Current;

    /// <summary>
    /// Upstream commit 6ed5943f8735 ("netfilter: nat: remove l4 protocol port rovers") and "limit
    /// port clash resolution attempts" landed for 5.0; iptables' own man page says "Since kernel
    /// 5.0, --random is identical to --random-fully". Checked: 4.19 trees have the rover
    /// (nf_nat_proto_common.c), 5.4 trees the 128/64/32/16/8 search. Stable 4.9/4.14/4.19 updates
    /// from 2022 also dropped the rover (the 4.14.y backport of 6ed5943f8735), which a version
    /// number cannot show: name the kernel for those.
    /// </summary>
    public static Version FirstRelease { get; } = new(5, 0);

    /// <summary>Step 3 is skipped for NF_NAT_RANGE_PROTO_RANDOM_ALL: both random flags take one path.</summary>
    public static PortChoice ChoiceFor(SnatAlgorithm algorithm) =>
        algorithm == SnatAlgorithm.KeepOriginal ? PortChoice.KeepOrFreshRandom : PortChoice.FreshRandom;

    public void Prepare(SnatRaceScenario scenario, PortTable table)
    {
        _keepOriginal = ChoiceFor(scenario.Algorithm) == PortChoice.KeepOrFreshRandom;
        _ruleRangeGiven = scenario.NatPortRange is not null;
        if (_keepOriginal)
        {
            EarlierFlows.KeptOriginalPorts(scenario, table);
        }
        else
        {
            EarlierFlows.SpreadEvenly(scenario, table);
        }
    }

    /// <summary>
    /// Nothing is inherited, but the draws the legacy allocator makes here are made too: with one
    /// seed both kernels then play the same bursts (common random numbers), which makes their
    /// difference less noisy than either alone.
    /// </summary>
    public readonly void BeginBurst(PortTable table, ref Pcg32 random)
    {
        random.NextUInt16();
        random.NextUInt16();
    }

    /// <summary>
    /// get_unique_tuple (SRC manip). Step 1 (keep the original tuple if the original source
    /// address is in the NAT range, or reuse the mapping of the same source socket found by
    /// find_appropriate_src) never applies: a client's address is not the NAT address, and a
    /// burst has one flow per source socket. Step 2 (find_best_ips_proto) picks the one NAT
    /// address. Step 3 (<see cref="KeptOriginalPort.Keeps"/>) and the last chance follow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Choose(PortTable table, ref Pcg32 random, int originalPort, int rangeMin, int rangeSize) =>
        GetUniqueTuple(table, ref random, !_keepOriginal, _ruleRangeGiven, rangeMin, rangeSize, originalPort);

    /// <summary><see cref="Choose"/> with the rule's flags given.</summary>
    /// <param name="randomAll">The rule has NF_NAT_RANGE_PROTO_RANDOM or _RANDOM_FULLY (NF_NAT_RANGE_PROTO_RANDOM_ALL).</param>
    /// <param name="ruleRangeGiven">The rule has --to-ports (NF_NAT_RANGE_PROTO_SPECIFIED).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetUniqueTuple(PortTable table, ref Pcg32 random, bool randomAll, bool ruleRangeGiven, int rangeMin, int rangeSize, int originalPort) =>
        !randomAll && KeptOriginalPort.Keeps(table, ref random, ruleRangeGiven, rangeMin, rangeSize, originalPort)
            ? originalPort
            : L4protoUniqueTuple(table, ref random, rangeMin, rangeSize);

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
                port = rangeMin + KeptOriginalPort.Offset(off, rangeSize);

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
}
