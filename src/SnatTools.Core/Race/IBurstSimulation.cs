namespace SnatTools.Core.Race;

/// <summary>
/// One thread's burst player (<see cref="BurstSimulation{TAllocator}"/>, specialised per kernel
/// allocator): one interface call per burst, none inside it.
/// </summary>
internal interface IBurstSimulation
{
    /// <summary>Original source port of each connection in the last burst.</summary>
    ReadOnlySpan<int> OriginalPorts { get; }

    /// <summary>NAT port each connection's last SYN was given (the confirmed one unless the connection failed).</summary>
    ReadOnlySpan<int> NatPorts { get; }

    /// <summary>SYNs each connection lost in the last burst; SynRetries + 1 means it never connected.</summary>
    ReadOnlySpan<int> Losses { get; }

    /// <summary>Window strata this simulation plays: 1 for a fixed window, else <see cref="WindowStrata.Count"/>.</summary>
    int Strata { get; }

    /// <summary>Sets the random stream the next bursts draw from.</summary>
    void Reseed(Pcg32 random);

    /// <summary>Plays the next bursts with the race windows of <paramref name="stratum"/>.</summary>
    void UseStratum(int stratum);

    /// <summary>Plays one burst; true when at least one SYN was dropped.</summary>
    bool Run();

    /// <summary>Adds the last burst to a histogram of losses per connection (index SynRetries + 1: never connected).</summary>
    void CountLosses(Span<long> histogram);
}

/// <summary>Makes the burst player of a scenario's kernel.</summary>
internal static class BurstSimulation
{
    /// <param name="windowFactor">Multiplies every race window (for a fixed-window scenario): the fit's probe of other windows.</param>
    public static IBurstSimulation Create(SnatRaceScenario scenario, double windowFactor = 1)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return PortAllocators.For(scenario.Kernel).CreateSimulation(scenario, windowFactor);
    }
}
