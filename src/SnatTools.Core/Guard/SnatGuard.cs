using System.Diagnostics;
using SnatTools.Core.Linux;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;

namespace SnatTools.Core.Guard;

/// <summary>
/// Watch-SnatRule's engine: repairs the rules that lack the wanted flags once, then keeps them
/// repaired. nf_tables (native and iptables-nft) reports every change (<see cref="NftEventSocket"/>);
/// a burst is read once it settles (<see cref="EventCoalescer"/>), the guard's own commits are
/// recognised and skipped (<see cref="OwnChanges"/>), and a chain that is reverted again and again
/// is backed off with a warning (<see cref="RepairBackoff"/>). iptables-legacy has no events and
/// is polled (<see cref="LegacyFingerprint"/>). Rules of owners that write the flag themselves or
/// have a setting for it are never touched: that setting is the fix, and a guard would fight it.
/// <para>
/// <see cref="Run"/> does all its work, and every call of the sink, on the calling thread; it
/// sleeps in poll(2) between events and returns within <see cref="StopLatency"/> of cancellation.
/// </para>
/// </summary>
public sealed class SnatGuard
{
    /// <summary>The longest single sleep: how soon a cancellation is noticed.</summary>
    public static readonly TimeSpan StopLatency = TimeSpan.FromMilliseconds(200);

    private readonly SnatGuardOptions _options;
    private readonly SnatRuleWriter _writer;
    private readonly OwnChanges _own = new();
    private readonly RepairBackoff _backoff = new();
    private readonly EventCoalescer _coalescer;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private GuardTrigger _pendingTrigger = GuardTrigger.RulesetChanged;

    public SnatGuard(SnatGuardOptions options)
    {
        _options = options;
        _coalescer = new EventCoalescer(options.QuietPeriod, options.MaxDelay);
        _writer = new SnatRuleWriter(options.Change) { AfterNftCommit = _own.Record };
    }

    public IKernelDialer Dialer { get; init; } = KernelDialer.Live;

    /// <summary>Test seam: the event source (default: a live <see cref="NftEventSocket"/> in the namespace).</summary>
    internal Func<INftEventSource>? OpenEvents { get; init; }

    /// <summary>Test seam: the monotonic clock the debounce and backoff run on.</summary>
    internal Func<TimeSpan>? Clock { get; init; }

    /// <summary>How many times the rules were read (start, changes, polls): what the churn test bounds.</summary>
    public int Passes { get; private set; }

    /// <summary>Events of other programs received, own commits excluded.</summary>
    public int ForeignEvents { get; private set; }

    /// <summary>Events of the guard's own commits that were recognised and skipped.</summary>
    public int OwnEvents { get; private set; }

    private TimeSpan Now => Clock?.Invoke() ?? _stopwatch.Elapsed;

    /// <summary>
    /// Repairs, then watches until <paramref name="cancellation"/> is cancelled. Throws
    /// <see cref="SnatToolsException"/> for what makes watching impossible (OwnerHasSetting for an
    /// -Owner that has its own setting, a missing namespace, no permission).
    /// </summary>
    public void Run(CancellationToken cancellation, ISnatGuardSink sink)
    {
        foreach (var owner in _options.Owners ?? [])
        {
            if (OwnerAdvice.HasSetting(owner))
            {
                throw OwnerHasSetting(owner, null);
            }
        }

        Dialer.CheckNamespace(_options.NetworkNamespace);
        string? namespacePath = _options.NetworkNamespace is { } name ? NetworkNamespace.ResolvePath(name) : null;

        // Subscribe before the first pass, so a change made while it runs is heard.
        using var events = _options.WantsNftables ? (OpenEvents ?? (() => NftEventSocket.Open(_options.NetworkNamespace)))() : null;
        using var legacy = _options.WantsLegacy
            ? new LegacyFingerprint(_options.NetworkNamespace, _options.Family is null or SnatFamily.IPv4, _options.Family is null or SnatFamily.IPv6, Dialer)
            : null;

        Pass(GuardTrigger.Start, null, sink);
        string? fingerprint = legacy?.Read();
        var nextPoll = Now + _options.PollInterval;
        var received = new List<NftRulesetEvent>();
        sink.Verbose($"Watching {(_options.NetworkNamespace is { } ns ? $"network namespace {ns}" : "this network namespace")}: " +
                     $"{(events is null ? string.Empty : "nf_tables events")}{(events is not null && legacy is not null ? " and " : string.Empty)}" +
                     $"{(legacy is null ? string.Empty : $"iptables-legacy every {_options.PollInterval.TotalSeconds:0.###} s")}.");

        while (!cancellation.IsCancellationRequested)
        {
            var now = Now;
            int timeout = SleepFor(now, nextPoll);
            if (events is null)
            {
                cancellation.WaitHandle.WaitOne(timeout);
            }
            else
            {
                received.Clear();
                var wait = events.Wait(timeout, received);
                now = Now;
                if (wait == NftEventWait.Overflow)
                {
                    _pendingTrigger = GuardTrigger.EventOverflow;
                    _coalescer.Add(now);
                    sink.Verbose("The event queue overflowed (ENOBUFS): changes were lost, so every rule is read again.");
                }

                foreach (var change in received)
                {
                    Consider(change, now);
                }
            }

            if (cancellation.IsCancellationRequested)
            {
                break;
            }

            now = Now;
            if (_coalescer.IsDue(now))
            {
                var trigger = _pendingTrigger;
                _pendingTrigger = GuardTrigger.RulesetChanged;
                Pass(trigger, _coalescer.Take(), sink);
                fingerprint = legacy?.Read() ?? fingerprint;
            }
            else if (_backoff.TakeReleased(now))
            {
                Pass(GuardTrigger.BackoffEnded, null, sink);
                fingerprint = legacy?.Read() ?? fingerprint;
            }

            if (Now < nextPoll)
            {
                continue;
            }

            nextPoll = Now + _options.PollInterval;
            // Our socket keeps a deleted namespace alive, and nothing writes rules there any more:
            // end the watch rather than hold it forever (a container that stopped).
            if (namespacePath is not null && !File.Exists(namespacePath))
            {
                throw new SnatToolsException(ErrorIds.NetworkNamespaceNotFound, ErrorKind.ObjectNotFound,
                    $"Network namespace '{_options.NetworkNamespace}' was deleted while it was watched ({namespacePath} is gone); the watch ends.",
                    _options.NetworkNamespace);
            }

            if (legacy is not null)
            {
                var seen = Now;
                string current = legacy.Read();
                if (current != fingerprint)
                {
                    sink.Verbose("The iptables-legacy nat table changed since the last poll.");
                    Pass(GuardTrigger.LegacyTableChanged, seen, sink);
                    fingerprint = legacy.Read();
                }
            }
        }
    }

    private void Consider(NftRulesetEvent change, TimeSpan now)
    {
        if (_own.IsOwn(change))
        {
            OwnEvents++;
            return;
        }

        // NEWGEN closes every transaction and says nothing by itself; tables of families that hold
        // no source NAT (bridge, arp, netdev) and of the family not watched cannot matter.
        bool relevant = change.Message != NftMessage.NewGen && change.Family switch
        {
            NfProto.Inet => true,
            NfProto.IPv4 => _options.Family is null or SnatFamily.IPv4,
            NfProto.IPv6 => _options.Family is null or SnatFamily.IPv6,
            _ => false,
        };
        if (relevant)
        {
            ForeignEvents++;
            _coalescer.Add(now);
        }
    }

    private int SleepFor(TimeSpan now, TimeSpan? nextPoll)
    {
        var wake = now + StopLatency;
        foreach (var at in (ReadOnlySpan<TimeSpan?>)[_coalescer.Deadline, nextPoll, _backoff.NextRelease(now)])
        {
            if (at is { } t && t < wake)
            {
                wake = t;
            }
        }

        return (int)Math.Clamp(Math.Ceiling((wake - now).TotalMilliseconds), 0, StopLatency.TotalMilliseconds);
    }

    /// <summary>Reads the rules once and repairs those that lack the wanted flags.</summary>
    private void Pass(GuardTrigger trigger, TimeSpan? since, ISnatGuardSink sink)
    {
        Passes++;
        var pending = new List<SnatRule>();
        List<SnatRule> rules;
        try
        {
            rules = new SnatRuleReader(_options.Query(), warning => ReportOnce(warning, () => sink.Warning(warning)), dialer: Dialer).Read().ToList();
        }
        catch (SnatToolsException ex) when (ex.Kind != ErrorKind.PermissionDenied && trigger != GuardTrigger.Start)
        {
            sink.Error(ex); // a read that failed while the ruleset moved; the next change or poll tries again
            return;
        }

        var now = Now;
        foreach (var rule in rules)
        {
            if (rule.Reachable == false || !_options.WantsOwner(rule.Owner) || _writer.NewFlags(rule) == rule.Flags)
            {
                continue;
            }

            if (OwnerAdvice.HasSetting(rule.Owner))
            {
                var refusal = OwnerHasSetting(rule.Owner, rule);
                ReportOnce($"{ErrorIds.OwnerHasSetting}|{rule.Owner}", () => sink.Error(refusal));
                continue;
            }

            if (_writer.Refusal(rule) is { } refused)
            {
                ReportOnce($"{refused.ErrorId}|{rule.Text}", () => sink.Error(refused));
                continue;
            }

            if (_backoff.HeldUntil(ChainKey(rule), now) is not null)
            {
                continue;
            }

            if (sink.ShouldRepair(rule, $"{_writer.Describe(rule)} and keep it"))
            {
                pending.Add(rule);
            }
            else
            {
                sink.Repaired(Repair(rule, trigger, since, rule.Flags, _writer.NewFlags(rule), applied: false, handle: rule.Handle));
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        var repairedChains = new Dictionary<string, SnatRule>(StringComparer.Ordinal);
        foreach (var change in _writer.Apply(pending))
        {
            switch (change.Outcome)
            {
                case SnatRuleOutcome.Changed:
                    sink.Repaired(Repair(change.Rule, trigger, since, change.OldFlags, change.NewFlags, applied: true, handle: change.NewHandle ?? change.Rule.Handle));
                    repairedChains.TryAdd(ChainKey(change.Rule), change.Rule);
                    break;
                case SnatRuleOutcome.AlreadySet:
                    sink.Verbose(SafeText.Escape($"{change.Rule.Text} already had the flags in the kernel."));
                    break;
                case SnatRuleOutcome.Failed when change.Error is { ErrorId: ErrorIds.RuleChanged }:
                    // Rewritten again between the read and the write: that writer's events are already queued.
                    sink.Verbose(SafeText.Escape($"{change.Rule.Text} changed while it was being repaired; it is read again after the change settles."));
                    break;
                default:
                    sink.Error(change.Error!);
                    break;
            }
        }

        // A fight is counted per chain and pass: a controller that rewrites a chain of three rules once reverted it once.
        foreach (var (key, rule) in repairedChains)
        {
            if (_backoff.Repaired(key, Now) is { } hold)
            {
                sink.Warning(SafeText.Escape(
                    $"Chain {rule.Chain} of table {rule.Table} ({rule.Backend}, owner {rule.Owner}) lost the flag again: " +
                    $"repaired {_backoff.Threshold} times within {_backoff.Window.TotalSeconds:0} s. Its next repair waits {hold.TotalSeconds:0.#} s " +
                    "(doubling while this goes on) instead of fighting the program that rewrites it. " +
                    (OwnerAdvice.For(rule.Owner) ?? "Find the program that writes this chain and change its configuration.")));
            }
        }
    }

    private SnatGuardRepair Repair(SnatRule rule, GuardTrigger trigger, TimeSpan? since, Nat.NatRangeFlags old, Nat.NatRangeFlags wanted, bool applied, ulong? handle) => new()
    {
        Time = DateTimeOffset.Now,
        Trigger = trigger,
        NetworkNamespace = rule.NetworkNamespace,
        Owner = rule.Owner,
        Backend = rule.Backend,
        Family = rule.Family,
        Table = rule.Table,
        Chain = rule.Chain,
        Handle = handle,
        Position = rule.Position,
        Text = rule.Text,
        OldFlags = old,
        NewFlags = wanted,
        Applied = applied,
        LatencyMilliseconds = since is { } s ? Math.Round((Now - s).TotalMilliseconds, 1) : null,
    };

    private void ReportOnce(string key, Action report)
    {
        if (_reported.Add(key))
        {
            report();
        }
    }

    private static string ChainKey(SnatRule rule) => $"{rule.NetworkNamespace}|{rule.Backend}|{rule.Family}|{rule.Table}|{rule.Chain}";

    private static SnatToolsException OwnerHasSetting(SnatOwner owner, SnatRule? rule)
    {
        string subject = rule is null ? $"Rules of {owner} are" : $"The rule {rule.Text} belongs to {owner} ({rule.OwnerEvidence}) and is";
        return new SnatToolsException(ErrorIds.OwnerHasSetting, ErrorKind.InvalidOperation,
            $"{subject} not guarded: {owner} writes random-fully itself or has a setting for it, so a guard would fight it on every sync. " +
            $"Use that setting instead. {OwnerAdvice.For(owner)}",
            (object?)rule ?? owner);
    }
}
