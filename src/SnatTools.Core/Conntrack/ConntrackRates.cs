namespace SnatTools.Core.Conntrack;

/// <summary>Counter growth per second over a sampling interval.</summary>
public sealed record ConntrackRates(
    double Found,
    double Invalid,
    double Insert,
    double InsertFailed,
    double Drop,
    double EarlyDrop,
    double Error,
    double SearchRestart,
    double ClashResolve,
    double ChainTooLong)
{
    public static ConntrackRates From(ConntrackCounters growth, TimeSpan interval)
    {
        double seconds = interval.TotalSeconds;
        return new ConntrackRates(
            growth.Found / seconds,
            growth.Invalid / seconds,
            growth.Insert / seconds,
            growth.InsertFailed / seconds,
            growth.Drop / seconds,
            growth.EarlyDrop / seconds,
            growth.Error / seconds,
            growth.SearchRestart / seconds,
            growth.ClashResolve / seconds,
            growth.ChainTooLong / seconds);
    }

    public override string ToString() => $"insert {Insert:0.##}/s, insert_failed {InsertFailed:0.##}/s, drop {Drop:0.##}/s";
}
