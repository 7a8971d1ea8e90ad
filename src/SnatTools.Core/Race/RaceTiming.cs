namespace SnatTools.Core.Race;

/// <summary>
/// When the SYNs of a burst reach the NAT and how long each stays unconfirmed: the knobs that
/// decide which connections race.
/// </summary>
/// <remarks>
/// <para>
/// The model (see <see cref="SnatRaceSimulator"/>): the burst's SYNs are spread round-robin over
/// the CPUs and each CPU handles its share one after the other, so the k-th SYN of every CPU is in
/// flight at about the same time (a "round"). Within a round each SYN reaches NAT at a time drawn
/// uniformly from [0, <see cref="ArrivalSpread"/>) and stays unconfirmed for a race window: from
/// the port choice in nf_nat_setup_info to __nf_conntrack_confirm. A SYN whose port choice comes
/// before another's confirm does not see that entry (nf_conntrack_tuple_taken only finds
/// confirmed entries); if both picked the same reply tuple, the later confirm fails.
/// </para>
/// <para>
/// Arrival spread: client threads pinned to different CPUs reached the kernel within ~±2 µs,
/// hence 4 µs. With 2 CPUs only the first SYN of each CPU can race for a shared source port, so
/// the share of bursts that lose one connection is P = 1 - (1 - w/spread)^2.
/// </para>
/// <para>
/// The windows are not constants: the same lab on the same machine lost a connection in 28 % to
/// 97 % of its bursts from run to run. <see cref="WindowSigma"/> carries that spread: a run's
/// windows are the medians here times e^(σZ). The defaults are the shipped calibration
/// (<see cref="ShippedRaceCalibration"/>): the cold median and σ fitted by
/// <see cref="RaceWindowFitter"/> to the lab runs in Race/Calibration/shipped-lab-runs.csv; a
/// test fits them again and holds them equal to these. Fitted to 31 runs on two machines (4 busy
/// runs left out): median cold window 1.7 µs, σ 0.61, so nine runs in ten have a cold window
/// between 0.6 and 4.6 µs.
/// </para>
/// <para>
/// Cooling time: with shorter pauses fewer bursts lost. Pooled aligned bursts on one machine, by
/// the time the NAT path idled (pause + the lab's 10 ms start spin): 10 ms 79 of 159 (50 %), 20 ms
/// 90 of 164 (55 %), 35 ms 35 of 52 (67 %), 60 ms 70 %. Windows from those shares, w(t) = warm +
/// (cold - warm)(1 - e^(-t/τ)), give τ = 11.5, 17.7 and 12.9 ms: 13 ms. Single runs vary more than
/// chance at short pauses too (10 ms: 33 %, 46 %, 69 %), so τ is rough.
/// </para>
/// <para>
/// Warm window 0.3 µs, kept in its ratio to the cold one when a calibration moves it: ~13 % of
/// bursts lost back to back in measurements made before this lab, not reproduced here (the lab
/// cannot fire closer than its 10 ms start spin). The first SYN on a CPU that idled is slower from
/// NAT to confirm (cold caches and TLBs), so its window is wider.
/// </para>
/// </remarks>
public sealed record RaceTiming
{
    // A window longer than a second would overlap the SYN retransmission it is meant to precede.
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _arrivalSpread = TimeSpan.FromTicks(40);
    private readonly TimeSpan _coldRaceWindow = TimeSpan.FromTicks(17);
    private readonly TimeSpan _warmRaceWindow = TimeSpan.FromTicks(3);
    private readonly TimeSpan _idleBeforeBurst = TimeSpan.FromMilliseconds(50);
    private readonly TimeSpan _coolingTime = TimeSpan.FromMilliseconds(13);
    private readonly double _windowSigma = ShippedWindowSigma;

    /// <summary>The fitted defaults: a burst after 50 ms idle, as the lab runs it.</summary>
    public static RaceTiming Default { get; } = new();

    /// <summary>SYNs of one round reach NAT spread uniformly over this time (default 4 µs, i.e. ±2 µs).</summary>
    public TimeSpan ArrivalSpread
    {
        get => _arrivalSpread;
        init => _arrivalSpread = Within(value, OneSecond, nameof(ArrivalSpread));
    }

    /// <summary>Race window of the first SYN on a CPU that was idle long enough to be cold (default 1.8 µs, fitted).</summary>
    public TimeSpan ColdRaceWindow
    {
        get => _coldRaceWindow;
        init => _coldRaceWindow = Within(value, OneSecond, nameof(ColdRaceWindow));
    }

    /// <summary>Race window of a SYN right behind another on its CPU, or of a burst without idle before it (default 0.3 µs, fitted).</summary>
    public TimeSpan WarmRaceWindow
    {
        get => _warmRaceWindow;
        init => _warmRaceWindow = Within(value, OneSecond, nameof(WarmRaceWindow));
    }

    /// <summary>How long the NAT path idled before the burst (default 50 ms, the lab's pause between bursts).</summary>
    public TimeSpan IdleBeforeBurst
    {
        get => _idleBeforeBurst;
        init => _idleBeforeBurst = Within(value, TimeSpan.MaxValue, nameof(IdleBeforeBurst));
    }

    /// <summary>
    /// How fast an idle NAT path goes cold (default 13 ms, fitted): after idling t, a CPU's first
    /// SYN takes <see cref="FirstRoundRaceWindow"/>, which has covered 1 - e^(-t/CoolingTime) of
    /// the way from the warm window to the cold one.
    /// </summary>
    public TimeSpan CoolingTime
    {
        get => _coolingTime;
        init => _coolingTime = Within(value, TimeSpan.MaxValue, nameof(CoolingTime));
    }

    /// <summary>
    /// How much the race windows vary from run to run and host to host: the standard deviation of
    /// their natural logarithm (log-normal; default fitted to lab runs). The windows above are the
    /// medians; a run's windows are all those medians times one factor e^(σZ), Z standard normal.
    /// 0 means one fixed window.
    /// </summary>
    public double WindowSigma
    {
        get => _windowSigma;
        init => _windowSigma = value is >= 0 and <= MaxWindowSigma
            ? value
            : throw new SnatToolsException(
                ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
                $"WindowSigma must be between 0 and {MaxWindowSigma}; got {value}.", value);
    }

    /// <summary>The race window of each CPU's first SYN after <see cref="IdleBeforeBurst"/> (the median run's), to the 100 ns tick.</summary>
    public TimeSpan FirstRoundRaceWindow => TimeSpan.FromTicks((long)Math.Round(FirstRoundWindowTicks));

    /// <summary>
    /// Where 90 % of runs' first-round race windows fall (the 5th and 95th percentiles of the
    /// log-normal); both ends equal <see cref="FirstRoundRaceWindow"/> for a fixed window.
    /// </summary>
    public (TimeSpan Low, TimeSpan High) FirstRoundRaceWindowRange
    {
        get
        {
            double spread = Math.Exp(WindowSigma * NormalDistribution.Quantile(0.95));
            return (TimeSpan.FromTicks((long)Math.Round(FirstRoundWindowTicks / spread)), TimeSpan.FromTicks((long)Math.Round(FirstRoundWindowTicks * spread)));
        }
    }

    /// <summary>The first-round window in ticks, not rounded: what the model uses.</summary>
    internal double FirstRoundWindowTicks
    {
        get
        {
            double cooled = CoolingTime == TimeSpan.Zero
                ? (IdleBeforeBurst > TimeSpan.Zero ? 1 : 0)
                : 1 - Math.Exp(-IdleBeforeBurst.TotalSeconds / CoolingTime.TotalSeconds);
            return WarmRaceWindow.Ticks + ((ColdRaceWindow.Ticks - WarmRaceWindow.Ticks) * cooled);
        }
    }

    /// <summary>One fixed window for every SYN, cold or warm: what <c>Test-SnatRace -RaceWindow</c> sets.</summary>
    public RaceTiming WithRaceWindow(TimeSpan window) => this with { ColdRaceWindow = window, WarmRaceWindow = window, WindowSigma = 0 };

    /// <summary>
    /// These timings with the median cold window <paramref name="coldWindow"/> and spread
    /// <paramref name="windowSigma"/> (a calibration's fit); the warm window keeps its ratio to the cold one.
    /// </summary>
    public RaceTiming WithWindowDistribution(TimeSpan coldWindow, double windowSigma)
    {
        double ratio = ColdRaceWindow == TimeSpan.Zero ? 0 : (double)WarmRaceWindow.Ticks / ColdRaceWindow.Ticks;
        return this with
        {
            ColdRaceWindow = coldWindow,
            WarmRaceWindow = TimeSpan.FromTicks((long)Math.Round(coldWindow.Ticks * ratio)),
            WindowSigma = windowSigma,
        };
    }

    /// <summary>A spread wider than this (a factor of 20 per standard deviation) says the fit found nothing.</summary>
    public const double MaxWindowSigma = 3;

    /// <summary>The shipped fit's spread (<see cref="ShippedRaceCalibration"/>).</summary>
    internal const double ShippedWindowSigma = 0.613;

    private static TimeSpan Within(TimeSpan value, TimeSpan max, string name) => value >= TimeSpan.Zero && value <= max
        ? value
        : throw new SnatToolsException(
            ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
            $"{name} must be between 0 and {max}; got {value}.", value);
}
