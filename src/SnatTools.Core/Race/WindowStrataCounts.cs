namespace SnatTools.Core.Race;

/// <summary>Simulated bursts and bursts that lost a SYN, per race-window stratum (<see cref="WindowStrata"/>).</summary>
internal sealed class WindowStrataCounts
{
    private readonly long[] _trials;
    private readonly long[] _withDrop;

    public WindowStrataCounts(long[] trials, long[] withDrop)
    {
        _trials = trials;
        _withDrop = withDrop;
    }

    public long Trials => _trials.Sum();

    public long WithDrop => _withDrop.Sum();

    /// <summary>
    /// Where the share of stalled bursts in one run of <paramref name="runLength"/> bursts falls
    /// with probability <paramref name="coverage"/>: each stratum is an equally likely run whose
    /// bursts stall with that stratum's simulated chance (a mixture of binomials).
    /// </summary>
    public ProbabilityInterval RunRange(long runLength, double coverage)
    {
        var chances = new List<double>(_trials.Length);
        var weights = new List<double>(_trials.Length);
        for (int stratum = 0; stratum < _trials.Length; stratum++)
        {
            if (_trials[stratum] > 0)
            {
                chances.Add((double)_withDrop[stratum] / _trials[stratum]);
                weights.Add(_trials[stratum]);
            }
        }

        return BinomialMixture.CentralInterval(chances, weights, runLength, coverage);
    }
}
