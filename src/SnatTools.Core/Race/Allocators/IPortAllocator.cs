namespace SnatTools.Core.Race;

/// <summary>
/// One kernel's source-port choice for a SYN leaving through MASQUERADE/SNAT (get_unique_tuple
/// and what it calls). Implemented by structs: <see cref="BurstSimulation{TAllocator}"/> is
/// specialised per allocator, so the hot loop makes no virtual call and allocates nothing. A new
/// allocator is one such struct plus a line in <see cref="PortAllocators"/> (and its name in
/// <see cref="SnatKernel"/>).
/// </summary>
internal interface IPortAllocator
{
    /// <summary>The kernels this allocator stands for.</summary>
    static abstract SnatKernel Kernel { get; }

    /// <summary>The first kernel release that allocates this way (a later one replaces it from its own).</summary>
    static abstract Version FirstRelease { get; }

    /// <summary>How a rule with <paramref name="algorithm"/>'s flags picks its port on these kernels.</summary>
    static abstract PortChoice ChoiceFor(SnatAlgorithm algorithm);

    /// <summary>Takes the scenario's rule, and lays out the earlier flows to the destination in <paramref name="table"/>.</summary>
    void Prepare(SnatRaceScenario scenario, PortTable table);

    /// <summary>State a burst inherits from earlier traffic (drawn per burst so bursts stand for different hosts).</summary>
    void BeginBurst(PortTable table, ref Pcg32 random);

    /// <summary>The NAT port a SYN from <paramref name="originalPort"/> will try to confirm, from the range [min, min + size).</summary>
    int Choose(PortTable table, ref Pcg32 random, int originalPort, int rangeMin, int rangeSize);
}
