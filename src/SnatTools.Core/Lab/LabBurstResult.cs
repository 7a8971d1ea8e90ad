namespace SnatTools.Core.Lab;

/// <summary>
/// What the lab saw over a run of bursts: each connection's connect() latency, how many stalled
/// (waited for a SYN retransmission), and how much the NAT host's insert_failed and drop grew.
/// <see cref="AlignedBursts"/> counts the bursts whose CPUs really sent their first SYNs together
/// (within a few µs): on a loaded machine the client threads cannot start together, and such a
/// burst cannot show the race whatever the rule.
/// </summary>
public sealed record LabBurstResult(
    LabMasqueradeMode Mode,
    int Bursts,
    int ConnectionsPerBurst,
    TimeSpan Idle,
    IReadOnlyList<double> LatenciesMilliseconds,
    int Stalled,
    int Failed,
    int BurstsWithStall,
    ulong InsertFailed,
    ulong Drop,
    ulong ClashResolve,
    int AlignedBursts,
    int AlignedBurstsWithStall)
{
    /// <summary>
    /// Share of the aligned bursts that lost a race: the figure the model's race window is fitted
    /// to, since the model assumes every CPU's first SYN reaches NAT together.
    /// </summary>
    public double? AlignedStallShare => AlignedBursts == 0 ? null : (double)AlignedBurstsWithStall / AlignedBursts;

    /// <summary>A connect slower than this waited for at least one SYN retransmission (initial RTO 1 s).</summary>
    public const double StallThresholdMilliseconds = 500;

    public int Connections => LatenciesMilliseconds.Count;

    public double P50Milliseconds => Percentile(0.50);

    public double P99Milliseconds => Percentile(0.99);

    public double MaxMilliseconds => LatenciesMilliseconds.Count == 0 ? 0 : LatenciesMilliseconds.Max();

    public double Percentile(double fraction)
    {
        if (LatenciesMilliseconds.Count == 0)
        {
            return 0;
        }

        var sorted = LatenciesMilliseconds.Order().ToArray();
        int rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
