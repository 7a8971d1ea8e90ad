namespace SnatTools.Core.Race;

/// <summary>
/// A fitted run-to-run distribution of the race window: log-normal, with this median cold
/// window and this σ of its logarithm.
/// </summary>
/// <param name="MedianColdWindow">The cold race window of the median run.</param>
/// <param name="WindowSigma">σ of ln(window) from run to run.</param>
/// <param name="LogLikelihood">Of the runs used, under the fit (for comparing fits of the same runs); null where not computed.</param>
/// <param name="Runs">Runs the fit used.</param>
/// <param name="ExcludedRuns">Busy runs left out (<see cref="RaceLabRun.Busy"/>).</param>
public sealed record RaceWindowFit(TimeSpan MedianColdWindow, double WindowSigma, double? LogLikelihood, int Runs, int ExcludedRuns);
