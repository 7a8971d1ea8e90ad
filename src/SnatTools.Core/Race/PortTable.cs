using System.Runtime.CompilerServices;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Race;

/// <summary>
/// The confirmed entries of the conntrack table that matter to one burst: every reply tuple
/// from the destination to the NAT address, i.e. one bit per NAT port. What a SYN's port choice
/// can see (nf_conntrack_tuple_taken only finds confirmed entries).
/// </summary>
/// <remarks>
/// Each port carries the number of the burst that last decided it, so starting a burst is O(1)
/// and the inner loop never clears or allocates. Ports held by existing connections are decided
/// lazily: the first time a burst asks about a port, it is taken with the background probability
/// for that port (an independent draw per port, which makes the count of existing connections
/// binomial around the asked-for number rather than exact).
/// </remarks>
internal sealed class PortTable
{
    private const int Ports = 65536;
    private const int MaxBurst = (1 << 30) - 1;

    private readonly int[] _marks = new int[Ports];
    private int _burst;
    private int _regionMin;
    private int _regionMax;
    private int _outsideMin;
    private int _outsideMax;
    private double _insideProbability;
    private double _outsideProbability;
    private bool _hasBackground;

    /// <summary>
    /// Existing connections: taken with <paramref name="inside"/> probability on
    /// [<paramref name="region"/>], with <paramref name="outside"/> on the rest of
    /// [<paramref name="natRange"/>], never elsewhere.
    /// </summary>
    public void SetBackground(PortRange region, double inside, PortRange natRange, double outside)
    {
        _regionMin = region.Min;
        _regionMax = region.Max;
        _insideProbability = inside;
        _outsideMin = natRange.Min;
        _outsideMax = natRange.Max;
        _outsideProbability = outside;
        _hasBackground = inside > 0 || outside > 0;
    }

    /// <summary>Forgets every entry: the next burst starts from an empty table plus the background.</summary>
    public void BeginBurst()
    {
        if (++_burst > MaxBurst)
        {
            Array.Clear(_marks);
            _burst = 1;
        }
    }

    /// <summary>nf_conntrack_tuple_taken for the reply tuple to NAT port <paramref name="port"/>: confirmed entries only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsTaken(int port, ref Pcg32 random)
    {
        int mark = _marks[port];
        if ((mark >> 1) == _burst)
        {
            return (mark & 1) != 0;
        }

        bool taken = Background(port, ref random);
        _marks[port] = (_burst << 1) | (taken ? 1 : 0);
        return taken;
    }

    /// <summary>An entry is confirmed on this port (existing connections' runs, marked up front).</summary>
    public void Confirm(int port) => _marks[port] = (_burst << 1) | 1;

    /// <summary>
    /// __nf_conntrack_confirm: inserts the entry and returns true, or returns false when the reply
    /// tuple is already confirmed (the clash that drops the SYN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConfirm(int port, ref Pcg32 random)
    {
        if (IsTaken(port, ref random))
        {
            return false;
        }

        _marks[port] = (_burst << 1) | 1;
        return true;
    }

    private bool Background(int port, ref Pcg32 random)
    {
        if (!_hasBackground)
        {
            return false;
        }

        double probability = port >= _regionMin && port <= _regionMax
            ? _insideProbability
            : port >= _outsideMin && port <= _outsideMax ? _outsideProbability : 0;
        return probability > 0 && (probability >= 1 || random.NextDouble() < probability);
    }
}
