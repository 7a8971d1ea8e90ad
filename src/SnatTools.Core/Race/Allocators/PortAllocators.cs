namespace SnatTools.Core.Race;

/// <summary>The allocators the model knows, by kernel: the one place a new allocator is registered.</summary>
internal static class PortAllocators
{
    private static readonly Registration[] All =
    [
        Register<LegacyKernelAllocator>(),
        Register<CurrentKernelAllocator>(),
    ];

    /// <summary>The allocator of <paramref name="kernel"/>.</summary>
    public static Registration For(SnatKernel kernel) => Array.Find(All, registration => registration.Kernel == kernel)
        ?? throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "No allocator is registered for this kernel.");

    /// <summary>The allocator a release runs: the registered one with the latest first release not after it.</summary>
    public static SnatKernel ForRelease(Version release) => All
        .Where(registration => registration.FirstRelease <= release)
        .MaxBy(registration => registration.FirstRelease)!.Kernel;

    private static Registration Register<TAllocator>()
        where TAllocator : struct, IPortAllocator =>
        new(TAllocator.Kernel, TAllocator.FirstRelease, TAllocator.ChoiceFor, (scenario, factor) => new BurstSimulation<TAllocator>(scenario, factor));

    /// <summary>What is known of one allocator without specialising on it.</summary>
    internal sealed record Registration(
        SnatKernel Kernel,
        Version FirstRelease,
        Func<SnatAlgorithm, PortChoice> ChoiceFor,
        Func<SnatRaceScenario, double, IBurstSimulation> CreateSimulation);
}
