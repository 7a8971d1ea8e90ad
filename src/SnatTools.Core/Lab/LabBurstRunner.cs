using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Net;
using SnatTools.Core.Linux;
using SnatTools.Core.Race;

namespace SnatTools.Core.Lab;

/// <summary>
/// Fires bursts of simultaneous connects from the client namespace. One dedicated thread per CPU,
/// pinned there and moved into the client namespace for its whole life (and back before it
/// ends). Each burst: the threads sleep through the idle time, bind their sockets, spin until a
/// shared start instant, then send all their SYNs back to back, so SYNs on different CPUs reach
/// the NAT together while those on one CPU are serialised — as on a real node.
/// </summary>
internal sealed unsafe class LabBurstRunner
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartMargin = SnatRaceLabModel.LabStartMargin;

    /// <summary>A burst whose CPUs sent their first SYNs further apart than this cannot show the race (its window is a few µs).</summary>
    public static readonly TimeSpan AlignmentTolerance = TimeSpan.FromMicroseconds(10);

    private readonly string _clientNamespacePath;
    private readonly int _cpus;
    private readonly object _gate = new();
    private int _burst = -1;
    private long _startAt;
    private int _pending;
    private int _sources = 1;
    private long[,] _firstSyn = new long[0, 0];
    private Exception? _failure;

    public LabBurstRunner(string clientNamespacePath, int cpus)
    {
        _clientNamespacePath = clientNamespacePath;
        _cpus = cpus;
    }

    /// <summary>
    /// Runs the bursts; <paramref name="sourcePort"/> gives connection i of burst b its source port.
    /// Returns each connection's connect latency in milliseconds (NaN when it failed) and, per
    /// burst, whether every CPU's first SYN left within <see cref="AlignmentTolerance"/> of the others.
    /// </summary>
    public (double[] Latencies, bool[] Aligned) Run(
        int bursts,
        int connectionsPerBurst,
        int sources,
        TimeSpan idle,
        Func<int, int, int> sourcePort,
        Action<int>? burstDone,
        CancellationToken cancellation)
    {
        _sources = sources;
        var latencies = new double[bursts * connectionsPerBurst];
        _firstSyn = new long[bursts, _cpus];
        Span<byte> server = stackalloc byte[16];
        LabClientSocket.Write(server, LabAddressPlan.Server, LabAddressPlan.ServerPort);
        byte[] destination = server.ToArray();

        var threads = new Thread[_cpus];
        for (int cpu = 0; cpu < _cpus; cpu++)
        {
            int worker = cpu;
            threads[cpu] = new Thread(() => Worker(worker, bursts, connectionsPerBurst, sourcePort, destination, latencies))
            {
                IsBackground = true,
                Name = $"snattools-lab-client-{worker}",
            };
            threads[cpu].Start();
        }

        try
        {
            for (int burst = 0; burst < bursts; burst++)
            {
                cancellation.ThrowIfCancellationRequested();
                if (idle > TimeSpan.Zero && cancellation.WaitHandle.WaitOne(idle))
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                lock (_gate)
                {
                    ThrowIfFailed();
                    _pending = _cpus;
                    _startAt = Stopwatch.GetTimestamp() + (long)(StartMargin.TotalSeconds * Stopwatch.Frequency);
                    _burst = burst;
                    Monitor.PulseAll(_gate);
                    while (_pending > 0 && _failure is null)
                    {
                        Monitor.Wait(_gate);
                    }

                    ThrowIfFailed();
                }

                burstDone?.Invoke(burst);
            }
        }
        finally
        {
            lock (_gate)
            {
                _burst = int.MaxValue;
                Monitor.PulseAll(_gate);
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }
        }

        return (latencies, Alignment(bursts, Math.Min(_cpus, connectionsPerBurst)));
    }

    private bool[] Alignment(int bursts, int busyCpus)
    {
        long tolerance = (long)(AlignmentTolerance.TotalSeconds * Stopwatch.Frequency);
        var aligned = new bool[bursts];
        for (int burst = 0; burst < bursts; burst++)
        {
            long first = long.MaxValue, last = long.MinValue;
            for (int cpu = 0; cpu < busyCpus; cpu++)
            {
                first = Math.Min(first, _firstSyn[burst, cpu]);
                last = Math.Max(last, _firstSyn[burst, cpu]);
            }

            aligned[burst] = last - first <= tolerance;
        }

        return aligned;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure as SnatToolsException
                ?? new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.ResourceUnavailable, $"lab client failed: {_failure.Message}", null, _failure);
        }
    }

    private void Worker(int cpu, int bursts, int connectionsPerBurst, Func<int, int, int> sourcePort, byte[] destination, double[] latencies)
    {
        try
        {
            PinToCpu(cpu);
            NetworkNamespace.RunOnThisThread(_clientNamespacePath, () =>
            {
                int mine = 0;
                for (int i = cpu; i < connectionsPerBurst; i += _cpus)
                {
                    mine++;
                }

                var sockets = new LabClientSocket[mine];
                var indexes = new int[mine];
                var poll = new Libc.PollFd[mine];
                for (int seen = -1; ;)
                {
                    int burst;
                    long startAt;
                    lock (_gate)
                    {
                        while (_burst == seen)
                        {
                            Monitor.Wait(_gate);
                        }

                        burst = _burst;
                        startAt = _startAt;
                    }

                    if (burst >= bursts)
                    {
                        return 0;
                    }

                    seen = burst;
                    RunBurst(cpu, burst, startAt, connectionsPerBurst, sourcePort, destination, latencies, sockets, indexes, poll);
                    lock (_gate)
                    {
                        _pending--;
                        Monitor.PulseAll(_gate);
                    }
                }
            });
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _failure ??= ex;
                Monitor.PulseAll(_gate);
            }
        }
    }

    // Fully optimised from the first burst: a tier-0 JIT copy on one CPU and not the other would
    // skew the start of the SYNs by more than the race window.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunBurst(
        int cpu,
        int burst,
        long startAt,
        int connectionsPerBurst,
        Func<int, int, int> sourcePort,
        byte[] destination,
        double[] latencies,
        LabClientSocket[] sockets,
        int[] indexes,
        Libc.PollFd[] poll)
    {
        int count = 0;
        for (int i = cpu; i < connectionsPerBurst; i += _cpus)
        {
            indexes[count] = i;
            sockets[count++] = LabClientSocket.Bind(LabAddressPlan.Client(i % _sources), sourcePort(burst, i));
        }

        try
        {
            // A bare clock loop: any pause instruction here would add microseconds of skew
            // between CPUs, about the width of the race window itself.
            while (Stopwatch.GetTimestamp() < startAt)
            {
            }

            int waiting = 0;
            for (int k = 0; k < count; k++)
            {
                int slot = (burst * connectionsPerBurst) + indexes[k];
                bool started = sockets[k].StartConnect(destination);
                if (k == 0)
                {
                    _firstSyn[burst, cpu] = sockets[k].ConnectStartedTicks;
                }

                if (started)
                {
                    poll[k] = new Libc.PollFd { Fd = sockets[k].Fd, Events = Libc.POLLOUT };
                    waiting++;
                }
                else
                {
                    poll[k] = new Libc.PollFd { Fd = -1 };
                    latencies[slot] = double.NaN;
                }
            }

            long deadline = Stopwatch.GetTimestamp() + (long)(ConnectTimeout.TotalSeconds * Stopwatch.Frequency);
            while (waiting > 0)
            {
                long now = Stopwatch.GetTimestamp();
                if (now >= deadline)
                {
                    for (int k = 0; k < count; k++)
                    {
                        if (poll[k].Fd >= 0)
                        {
                            latencies[(burst * connectionsPerBurst) + indexes[k]] = double.NaN;
                        }
                    }

                    break;
                }

                int timeout = (int)Math.Max(1, (deadline - now) * 1000 / Stopwatch.Frequency);
                fixed (Libc.PollFd* p = poll)
                {
                    if (Libc.poll(p, (nuint)count, timeout) < 0 && Libc.LastErrno != Errno.EINTR)
                    {
                        throw new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.ResourceUnavailable, $"lab poll failed: {Errno.Name(Libc.LastErrno)}");
                    }
                }

                long done = Stopwatch.GetTimestamp();
                for (int k = 0; k < count; k++)
                {
                    if (poll[k].Fd < 0 || poll[k].Revents == 0)
                    {
                        continue;
                    }

                    int slot = (burst * connectionsPerBurst) + indexes[k];
                    latencies[slot] = sockets[k].HandshakeCompleted()
                        ? (done - sockets[k].ConnectStartedTicks) * 1000.0 / Stopwatch.Frequency
                        : double.NaN;
                    poll[k].Fd = -1;
                    poll[k].Revents = 0;
                    waiting--;
                }
            }
        }
        finally
        {
            for (int k = 0; k < count; k++)
            {
                sockets[k].Dispose();
            }
        }
    }

    private static void PinToCpu(int cpu)
    {
        int words = (cpu / 64) + 1;
        var mask = stackalloc ulong[words];
        for (int i = 0; i < words; i++)
        {
            mask[i] = 0;
        }

        mask[cpu / 64] = 1UL << (cpu % 64);
        if (Libc.sched_setaffinity(0, (nuint)(words * sizeof(ulong)), mask) != 0)
        {
            throw new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.ResourceUnavailable, $"could not pin a lab client thread to CPU {cpu}: {Errno.Name(Libc.LastErrno)}");
        }
    }
}
