using SnatTools.Core.Nat;
using SnatTools.Core.Race;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// How likely a new source-NAT port choice collides, given the ports already in use. The kernel
/// (nf_nat_l4proto_unique_tuple; docs/guide/kernel-facts.md §7) draws a u16 offset and takes
/// <c>min + off % size</c>, then probes the following ports until one is free; only confirmed
/// entries count as taken, so two allocations inside the race window can end on the same port.
/// </summary>
public static class SnatCollisionModel
{
    private const double U16Values = 65536;

    /// <summary>
    /// The chance that one new random(-fully) allocation's first pick lands on a port already in
    /// use, so that it has to probe on: Σ over in-use ports p of w(p) / 65536, where w(p) is the
    /// number of u16 offsets that map to p (for 1024-65535, ports 1024-2047 get two, the rest one).
    /// Ports outside <paramref name="range"/> are ignored. Close to the fill ratio, a little above
    /// it when the low ports of the range are the busy ones.
    /// </summary>
    public static double FirstPickTaken(PortRange range, IEnumerable<int> portsInUse)
    {
        ArgumentNullException.ThrowIfNull(portsInUse);
        double low = Math.Floor(U16Values / range.Size);
        int heavier = (int)(U16Values % range.Size);
        double weight = 0;
        foreach (int port in portsInUse)
        {
            if (range.Contains(port))
            {
                weight += port - range.Min < heavier ? low + 1 : low;
            }
        }

        return weight / U16Values;
    }

    /// <summary>
    /// The chance that at least two of <paramref name="allocations"/> concurrent allocations (a
    /// burst inside the race window) end on the same port at fill <paramref name="fill"/>, the
    /// birthday bound of the race model:
    /// <c>1 - exp(-C(k, 2) · q(size) · (1 + f) / (1 - f))</c>, with q from
    /// <see cref="SnatRaceClosedForm.RandomPickCollision"/> (≈ 1/size) and the linear-probing
    /// factor from <see cref="SnatRaceClosedForm.LinearProbingCatch"/>. One allocation alone
    /// never collides (it probes past confirmed ports); the loser of a collision is dropped
    /// (insert_failed).
    /// </summary>
    public static double BurstCollision(PortRange range, double fill, int allocations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allocations);
        double pairs = allocations * (allocations - 1) / 2.0;
        return 1 - Math.Exp(-pairs * SnatRaceClosedForm.ConcurrentPickCollision(range.Size, fill));
    }
}
