using SnatTools.Core.Nat;
namespace SnatTools.Core.Race;

/// <summary>
/// Formulas for the chance that a burst loses a SYN, where the model has one: the birthday
/// bound for random picks and order statistics for a shared source port. They use the same
/// round structure and timing as <see cref="SnatRaceSimulator"/> (see <see cref="RaceTiming"/>)
/// and are first-order approximations; the tests hold them against the simulation.
/// </summary>
public static class SnatRaceClosedForm
{
    private const double U16Values = 65536;

    /// <summary>P(at least one SYN of the burst is dropped), or null when no formula covers the scenario.</summary>
    /// <remarks>
    /// Covered: Random/RandomFully on the current kernel and RandomFully on the legacy one
    /// (birthday bound over concurrent pairs); KeepOriginal on the current kernel without
    /// --to-ports, with one connection per source sharing a port (order statistics) or with
    /// independent sources (birthday bound over original ports). Not covered: the legacy rover
    /// and hash, whose collisions depend on the order of earlier allocations.
    /// </remarks>
    public static double? ProbabilityAnyDrop(SnatRaceScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Timing.WindowSigma == 0)
        {
            return ProbabilityAnyDrop(scenario, 1);
        }

        // Averaged over the same equally likely window strata the simulation plays.
        double sum = 0;
        for (int stratum = 0; stratum < WindowStrata.Count; stratum++)
        {
            if (ProbabilityAnyDrop(scenario, WindowStrata.Factor(scenario.Timing.WindowSigma, stratum)) is not { } p)
            {
                return null;
            }

            sum += p;
        }

        return sum / WindowStrata.Count;
    }

    /// <summary>The chance for a run whose race windows are the medians times <paramref name="windowFactor"/>.</summary>
    internal static double? ProbabilityAnyDrop(SnatRaceScenario scenario, double windowFactor)
    {
        var choice = PortAllocators.For(scenario.Kernel).ChoiceFor(scenario.Algorithm);
        if (choice == PortChoice.FreshRandom)
        {
            return 1 - Math.Exp(-RandomPickCollisions(scenario, firstRound: 0, windowFactor));
        }

        if (choice != PortChoice.KeepOrFreshRandom || scenario.NatPortRange is not null)
        {
            return null;
        }

        var nat = scenario.NatRangeFor(scenario.ClientPortRange.Min);
        if (!nat.Contains(scenario.ClientPortRange.Max))
        {
            return null;
        }

        if (scenario.SharedSourcePort)
        {
            return scenario.Sources == scenario.Connections ? SharedPort(scenario, windowFactor) : null;
        }

        return DistinctSources(scenario, nat, windowFactor);
    }

    /// <summary>
    /// Chance that two SYNs of a round race: the later one's port choice comes before the
    /// earlier one's confirm. Arrivals uniform over <paramref name="spread"/>:
    /// P(|a - b| &lt; w) = 1 - (1 - w/spread)^2.
    /// </summary>
    public static double PairRaceProbability(TimeSpan window, TimeSpan spread) => FirstPairRaceProbability(window, spread, 2);

    /// <summary>
    /// Chance that among <paramref name="syns"/> SYNs of a round the second arrives within the
    /// window of the first: 1 - (1 - w/spread)^m (the gap after the smallest of m uniforms).
    /// With a shared source port that is the chance the round loses one.
    /// </summary>
    public static double FirstPairRaceProbability(TimeSpan window, TimeSpan spread, int syns) =>
        FirstPairRaceProbability((double)window.Ticks, spread.Ticks, syns);

    /// <summary><see cref="FirstPairRaceProbability(TimeSpan, TimeSpan, int)"/> for windows in (fractional) ticks.</summary>
    internal static double FirstPairRaceProbability(double windowTicks, double spreadTicks, int syns)
    {
        if (syns < 2 || windowTicks <= 0)
        {
            return 0;
        }

        if (spreadTicks <= 0 || windowTicks >= spreadTicks)
        {
            return 1;
        }

        return 1 - Math.Pow(1 - (windowTicks / spreadTicks), syns);
    }

    /// <summary>
    /// Chance that two independent random port choices on an empty range of
    /// <paramref name="rangeSize"/> ports land on the same port, with the kernel's u16 offset:
    /// <c>off % range_size</c> over 65536 values gives some ports one draw more (for 1024-65535,
    /// ports 1024-2047 twice the others), so it is Σ c_x² / 65536², a little above 1/size.
    /// </summary>
    public static double RandomPickCollision(int rangeSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeSize, 1);
        double low = Math.Floor(U16Values / rangeSize);
        double heavier = U16Values % rangeSize;
        double sumOfSquares = (heavier * (low + 1) * (low + 1)) + ((rangeSize - heavier) * low * low);
        return sumOfSquares / (U16Values * U16Values);
    }

    /// <summary>
    /// Chance that two concurrent random picks (neither sees the other: the race window) end on
    /// the same port of a <paramref name="rangeSize"/>-port range of which a share
    /// <paramref name="fill"/> is already taken: <see cref="RandomPickCollision"/> times
    /// <see cref="LinearProbingCatch"/>. The share is capped at 0.99 as in the burst model.
    /// </summary>
    public static double ConcurrentPickCollision(int rangeSize, double fill) =>
        RandomPickCollision(rangeSize) * LinearProbingCatch(Math.Clamp(fill, 0, 0.99));

    /// <summary>
    /// With a share f of the range taken, linear probing sends a pick to the first free port after
    /// its start, so a free port catches the taken run before it too: a pair collides (1+f)/(1-f)
    /// times as often as on an empty range.
    /// </summary>
    public static double LinearProbingCatch(double fill) => (1 + fill) / (1 - fill);

    /// <summary>
    /// Expected number of colliding concurrent random pairs (rounds from
    /// <paramref name="firstRound"/> on). With a fraction f of the range already taken, linear
    /// probing sends a pick to the first free port after its start, which makes a free port's
    /// catch proportional to the taken run before it: the pair collision grows by (1+f)/(1-f).
    /// </summary>
    private static double RandomPickCollisions(SnatRaceScenario scenario, int firstRound, double windowFactor)
    {
        var nat = scenario.NatPortRange ?? scenario.NatRangeFor(scenario.SourcePort ?? scenario.ClientPortRange.Min);
        double pick = RandomPickCollision(nat.Size);
        double expected = 0;
        int rounds = Rounds(scenario);
        for (int round = firstRound; round < rounds; round++)
        {
            double fill = Math.Min(0.99, (scenario.ExistingConnections + ((double)round * scenario.Cpus)) / nat.Size);
            expected += Pairs(Members(scenario, round)) * RoundRace(scenario, round, windowFactor) * pick * LinearProbingCatch(fill);
        }

        return expected;
    }

    /// <summary>
    /// One connection per source, all from the same port p, current kernel: round 0 loses one
    /// when its second SYN comes within the window of its first (both keep p); later SYNs see p
    /// taken and pick randomly. When an existing connection already holds p, all pick randomly.
    /// </summary>
    private static double SharedPort(SnatRaceScenario scenario, double windowFactor)
    {
        double held = BackgroundShare(scenario, scenario.NatRangeFor(scenario.SourcePort ?? scenario.ClientPortRange.Min));
        double first = FirstPairRaceProbability(scenario.Timing.FirstRoundWindowTicks * windowFactor, scenario.Timing.ArrivalSpread.Ticks, Members(scenario, 0));
        double free = 1 - ((1 - first) * Math.Exp(-RandomPickCollisions(scenario, firstRound: 1, windowFactor)));
        double taken = 1 - Math.Exp(-RandomPickCollisions(scenario, firstRound: 0, windowFactor));
        return ((1 - held) * free) + (held * taken);
    }

    /// <summary>
    /// Independent sources, each on its own random run of client ports, current kernel: a
    /// concurrent pair from two sources races when both original ports are equal (1 in the client
    /// range's size) and free. SYNs whose original port is already taken (a share t of the client
    /// range) pick randomly: two such picks collide (birthday, with the taken runs of the client
    /// range widening the catch of the free port after them), and a pick can land on the port
    /// another SYN keeps (the free port after a run of taken ones: 1 / ((1 - t) · size)).
    /// </summary>
    private static double DistinctSources(SnatRaceScenario scenario, PortRange nat, double windowFactor)
    {
        double clientPorts = scenario.ClientPortRange.Size;
        double clientShare = clientPorts / nat.Size;
        double pick = RandomPickCollision(nat.Size);
        double expected = 0;
        int rounds = Rounds(scenario);
        for (int round = 0; round < rounds; round++)
        {
            int members = Members(scenario, round);
            double all = Pairs(members);
            double sameSource = SameSourcePairs(members, scenario.Sources);
            double taken = Math.Min(0.99, (scenario.ExistingConnections + ((double)round * scenario.Cpus)) / clientPorts);
            double randomPair = pick * ((1 - clientShare) + (clientShare * (1 + taken) / (1 - taken)));
            double race = RoundRace(scenario, round, windowFactor);
            expected += race * (((all - sameSource) * (1 - taken) / clientPorts)
                + (all * taken * taken * randomPair)
                + (all * 2 * taken / nat.Size));
        }

        return 1 - Math.Exp(-expected);
    }

    private static double BackgroundShare(SnatRaceScenario scenario, PortRange nat)
    {
        int overlapMin = Math.Max(scenario.ClientPortRange.Min, nat.Min);
        int overlapMax = Math.Min(scenario.ClientPortRange.Max, nat.Max);
        int region = overlapMin <= overlapMax ? overlapMax - overlapMin + 1 : nat.Size;
        return Math.Min(1.0, (double)scenario.ExistingConnections / region);
    }

    private static int Rounds(SnatRaceScenario scenario) => (scenario.Connections + scenario.Cpus - 1) / scenario.Cpus;

    private static int Members(SnatRaceScenario scenario, int round) => Math.Min(scenario.Cpus, scenario.Connections - (round * scenario.Cpus));

    private static double RoundRace(SnatRaceScenario scenario, int round, double windowFactor) => FirstPairRaceProbability(
        (round == 0 ? scenario.Timing.FirstRoundWindowTicks : scenario.Timing.WarmRaceWindow.Ticks) * windowFactor,
        scenario.Timing.ArrivalSpread.Ticks,
        2);

    private static double Pairs(int members) => members * (members - 1) / 2.0;

    /// <summary>Pairs from one source among a round's consecutive connection numbers (source = number mod sources).</summary>
    private static double SameSourcePairs(int members, int sources)
    {
        int each = members / sources;
        int heavier = members % sources;
        return (heavier * Pairs(each + 1)) + ((sources - heavier) * Pairs(each));
    }
}
