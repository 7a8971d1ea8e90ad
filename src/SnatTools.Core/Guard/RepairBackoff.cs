namespace SnatTools.Core.Guard;

/// <summary>
/// Keeps the guard from fighting a controller that undoes each repair at once: when one chain
/// needed <see cref="Threshold"/> repairs within <see cref="Window"/>, its next repair waits
/// (1 s, then doubling up to <see cref="MaxHold"/>) and the caller warns once per escalation. A
/// chain left alone for two windows starts over. Pure logic over a caller-given clock.
/// </summary>
public sealed class RepairBackoff
{
    private readonly Dictionary<string, State> _chains = new(StringComparer.Ordinal);
    private TimeSpan _lastReleaseCheck = TimeSpan.MinValue;

    /// <summary>Repairs of one chain within <see cref="Window"/> that make a fight (dockerd restarting now and then is not one).</summary>
    public int Threshold { get; init; } = 5;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan FirstHold { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxHold { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When the chain may be repaired again; null when it may be now.</summary>
    public TimeSpan? HeldUntil(string chain, TimeSpan now) =>
        _chains.TryGetValue(chain, out var state) && state.HeldUntil > now ? state.HeldUntil : null;

    /// <summary>The earliest end of a hold still running: when the caller must look again.</summary>
    public TimeSpan? NextRelease(TimeSpan now)
    {
        TimeSpan? next = null;
        foreach (var state in _chains.Values)
        {
            if (state.HeldUntil > now && (next is null || state.HeldUntil < next))
            {
                next = state.HeldUntil;
            }
        }

        return next;
    }

    /// <summary>True once for each hold that ended since the last call: the caller then reads the rules again.</summary>
    public bool TakeReleased(TimeSpan now)
    {
        bool released = _chains.Values.Any(s => s.HeldUntil > _lastReleaseCheck && s.HeldUntil <= now);
        _lastReleaseCheck = now;
        return released;
    }

    /// <summary>Records a repair of <paramref name="chain"/>; returns the hold it now gets when this makes it a fight, else null.</summary>
    public TimeSpan? Repaired(string chain, TimeSpan now)
    {
        if (!_chains.TryGetValue(chain, out var state) || (state.Times.Count > 0 && now - state.Times[^1] > Window * 2))
        {
            state = new State();
            _chains[chain] = state;
        }

        state.Times.Add(now);
        state.Times.RemoveAll(t => now - t > Window);
        if (state.Times.Count < Threshold)
        {
            return null;
        }

        var hold = TimeSpan.FromTicks(Math.Min(FirstHold.Ticks << Math.Min(state.Level, 20), MaxHold.Ticks));
        state.Level++;
        state.HeldUntil = now + hold;
        return hold;
    }

    private sealed class State
    {
        public List<TimeSpan> Times { get; } = [];

        public int Level { get; set; }

        public TimeSpan HeldUntil { get; set; } = TimeSpan.MinValue;
    }
}
