namespace SnatTools.Core.Guard;

/// <summary>
/// Debounce for a ruleset that changes in bursts: events are gathered until the ruleset has been
/// quiet for <see cref="QuietPeriod"/>, but never longer than <see cref="MaxDelay"/> after the
/// first one, so a controller that keeps writing cannot postpone the repair forever and the
/// one-second promise holds (re-read and repair take well under the 300 ms left). Pure logic
/// over a caller-given clock, so it is tested without a kernel.
/// </summary>
public sealed class EventCoalescer
{
    private TimeSpan? _first;
    private TimeSpan _last;

    public EventCoalescer(TimeSpan quietPeriod, TimeSpan maxDelay)
    {
        if (quietPeriod <= TimeSpan.Zero || maxDelay < quietPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), "the quiet period must be positive and the maximum delay at least as long");
        }

        QuietPeriod = quietPeriod;
        MaxDelay = maxDelay;
    }

    public TimeSpan QuietPeriod { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>True while events wait for their re-read.</summary>
    public bool Pending => _first is not null;

    /// <summary>When the pending events are due: after the quiet period, capped at the maximum delay; null when none wait.</summary>
    public TimeSpan? Deadline => _first is { } first ? Min(_last + QuietPeriod, first + MaxDelay) : null;

    public void Add(TimeSpan now)
    {
        _first ??= now;
        _last = now;
    }

    public bool IsDue(TimeSpan now) => Deadline is { } deadline && now >= deadline;

    /// <summary>Ends the pending burst; returns when its first event came (null when none was pending).</summary>
    public TimeSpan? Take()
    {
        var first = _first;
        _first = null;
        return first;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
