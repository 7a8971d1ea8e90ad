namespace SnatTools.Core.Race;

/// <summary>The calibration chosen for this host, and why not the host's own when it is not (null when it is).</summary>
public sealed record SnatRaceCalibrationChoice(SnatRaceCalibration Calibration, string? Warning);
