using SnatTools.Core.Nat;
namespace SnatTools.Core.Race;

/// <summary>Where a scenario's existing connections to the destination sit in the NAT range, for the allocators to lay out.</summary>
internal static class EarlierFlows
{
    /// <summary>The NAT range the existing connections were given (the shared port's or the client range's first port's).</summary>
    public static PortRange Range(SnatRaceScenario scenario) => scenario.NatRangeFor(scenario.SourcePort ?? scenario.ClientPortRange.Min);

    /// <summary>
    /// Earlier flows that kept their original ports, which their sources drew from the client port
    /// range; what does not fit there was remapped over the rest of the NAT range.
    /// </summary>
    public static void KeptOriginalPorts(SnatRaceScenario scenario, PortTable table)
    {
        var nat = Range(scenario);
        int overlapMin = Math.Max(scenario.ClientPortRange.Min, nat.Min);
        int overlapMax = Math.Min(scenario.ClientPortRange.Max, nat.Max);
        var region = overlapMin <= overlapMax ? new PortRange(overlapMin, overlapMax) : nat;
        double inside = Math.Min(1.0, (double)scenario.ExistingConnections / region.Size);
        int outsidePorts = nat.Size - region.Size;
        double outside = outsidePorts > 0 ? Math.Max(0, scenario.ExistingConnections - region.Size) / (double)outsidePorts : 0;
        table.SetBackground(region, inside, nat, outside);
    }

    /// <summary>Random choices spread earlier flows evenly over the NAT range.</summary>
    public static void SpreadEvenly(SnatRaceScenario scenario, PortTable table)
    {
        var nat = Range(scenario);
        table.SetBackground(nat, (double)scenario.ExistingConnections / nat.Size, nat, 0);
    }
}
