namespace SnatTools.Core.Race;

/// <summary>
/// Trials done so far, updated by the simulation's worker threads and read by whoever reports
/// progress (a cmdlet polls it from its own thread: Write-Progress only works there).
/// </summary>
public sealed class SnatRaceProgress
{
    private long _completed;

    public SnatRaceProgress(long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        Total = total;
    }

    public long Total { get; }

    public long Completed => Interlocked.Read(ref _completed);

    public double Fraction => Total == 0 ? 1 : (double)Completed / Total;

    internal void Add(long trials) => Interlocked.Add(ref _completed, trials);
}
