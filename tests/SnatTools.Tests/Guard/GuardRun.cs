using System.Collections.Concurrent;
using System.Diagnostics;
using SnatTools.Core;
using SnatTools.Core.Guard;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Guard;

/// <summary>
/// A guard running in-process on a thread the test owns, as Watch-SnatRule runs it on its
/// pipeline thread: repairs, warnings and errors are collected with the time they came, and the
/// guard thread's own CPU time (from /proc/thread-self/schedstat, read on that thread) is
/// measured from the end of the start pass to the stop.
/// </summary>
internal sealed class GuardRun : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _watching = new();
    private readonly BlockingCollection<(SnatGuardRepair Repair, TimeSpan At)> _repairs = new();
    private long _cpuAtWatch;
    private Exception? _failure;

    public GuardRun(SnatGuardOptions options, Func<INftEventSource>? openEvents = null, bool whatIf = false)
    {
        Guard = new SnatGuard(options) { OpenEvents = openEvents };
        var sink = new Sink(this, whatIf);
        _thread = new Thread(() =>
        {
            try
            {
                Guard.Run(_stop.Token, sink);
                CpuNanoseconds = ThreadCpu() - _cpuAtWatch;
            }
            catch (Exception ex)
            {
                _failure = ex;
                _watching.Set();
            }
        })
        {
            IsBackground = true,
            Name = "snattools-guard-test",
        };
        _thread.Start();
        if (!_watching.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the guard did not start watching within 30 s");
        }

        if (_failure is not null)
        {
            _thread.Join();
            throw _failure;
        }
    }

    public static Stopwatch Clock { get; } = Stopwatch.StartNew();

    public SnatGuard Guard { get; }

    public ConcurrentQueue<string> Warnings { get; } = new();

    public ConcurrentQueue<SnatToolsException> Errors { get; } = new();

    public ConcurrentQueue<string> Verbose { get; } = new();

    /// <summary>Every repair so far, including the start pass's.</summary>
    public List<(SnatGuardRepair Repair, TimeSpan At)> Repairs => [.. _repairs];

    /// <summary>The guard thread's CPU time while it watched (set when it stopped).</summary>
    public long CpuNanoseconds { get; private set; } = -1;

    /// <summary>How long the stop took.</summary>
    public TimeSpan StopTime { get; private set; }

    /// <summary>The next repair after those already taken, or null when none comes within <paramref name="timeout"/>.</summary>
    public (SnatGuardRepair Repair, TimeSpan At)? Next(TimeSpan timeout) =>
        _repairs.TryTake(out var repair, timeout) ? repair : null;

    /// <summary>Waits for the guard to end by itself; returns why it ended (null: it returned normally).</summary>
    public Exception? WaitEnded(TimeSpan timeout)
    {
        Assert.True(_thread.Join(timeout), $"the guard was still running after {timeout.TotalSeconds:0.#} s");
        return _failure;
    }

    public void Stop()
    {
        if (!_thread.IsAlive)
        {
            return;
        }

        var started = Clock.Elapsed;
        _stop.Cancel();
        Assert.True(_thread.Join(TimeSpan.FromSeconds(10)), "the guard did not stop within 10 s of cancellation");
        StopTime = Clock.Elapsed - started;
        if (_failure is not null)
        {
            throw new InvalidOperationException("the guard failed", _failure);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    /// <summary>This thread's CPU time in ns (first field of /proc/thread-self/schedstat).</summary>
    private static long ThreadCpu() => long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Sink(GuardRun run, bool whatIf) : ISnatGuardSink
    {
        public bool ShouldRepair(SnatRule rule, string change) => !whatIf;

        public void Repaired(SnatGuardRepair repair) => run._repairs.Add((repair, Clock.Elapsed));

        public void Warning(string message) => run.Warnings.Enqueue(message);

        public void Error(SnatToolsException error) => run.Errors.Enqueue(error);

        public void Verbose(string message)
        {
            run.Verbose.Enqueue(message);
            if (message.StartsWith("Watching", StringComparison.Ordinal))
            {
                run._cpuAtWatch = ThreadCpu();
                run._watching.Set();
            }
        }
    }
}
