namespace SnatTools.Core.Race;

/// <summary>Where a race calibration came from.</summary>
public enum SnatRaceCalibrationSource
{
    /// <summary>Fitted to lab runs on the machines SnatTools was developed on; shipped with the module.</summary>
    Shipped,

    /// <summary>Fitted to lab runs on this host (Update-SnatRaceCalibration).</summary>
    Host,
}
