namespace SnatTools.Core.Conntrack;

/// <summary>
/// The per-CPU conntrack counters the kernel reports (ctattr_stats_cpu). The kernel keeps them
/// as unsigned 32-bit values per CPU, so differences are taken modulo 2^32 per CPU before summing.
/// </summary>
public readonly record struct ConntrackCounters(
    ulong Found,
    ulong Invalid,
    ulong Insert,
    ulong InsertFailed,
    ulong Drop,
    ulong EarlyDrop,
    ulong Error,
    ulong SearchRestart,
    ulong ClashResolve,
    ulong ChainTooLong)
{
    public static ConntrackCounters operator +(ConntrackCounters a, ConntrackCounters b) => new(
        a.Found + b.Found,
        a.Invalid + b.Invalid,
        a.Insert + b.Insert,
        a.InsertFailed + b.InsertFailed,
        a.Drop + b.Drop,
        a.EarlyDrop + b.EarlyDrop,
        a.Error + b.Error,
        a.SearchRestart + b.SearchRestart,
        a.ClashResolve + b.ClashResolve,
        a.ChainTooLong + b.ChainTooLong);

    /// <summary>How much each counter of one CPU grew since <paramref name="before"/>, allowing one 32-bit wrap.</summary>
    public ConntrackCounters Since(ConntrackCounters before) => new(
        Grow(before.Found, Found),
        Grow(before.Invalid, Invalid),
        Grow(before.Insert, Insert),
        Grow(before.InsertFailed, InsertFailed),
        Grow(before.Drop, Drop),
        Grow(before.EarlyDrop, EarlyDrop),
        Grow(before.Error, Error),
        Grow(before.SearchRestart, SearchRestart),
        Grow(before.ClashResolve, ClashResolve),
        Grow(before.ChainTooLong, ChainTooLong));

    private static ulong Grow(ulong before, ulong after) => (uint)((uint)after - (uint)before);
}
