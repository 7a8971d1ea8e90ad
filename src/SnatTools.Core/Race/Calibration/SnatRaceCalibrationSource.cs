namespace SnatTools.Core.Race;

/// <summary>Where a race calibration came from.</summary>
/// <remarks>Backed by long, so ConvertTo-Json writes its name (see ReadableText).</remarks>
public enum SnatRaceCalibrationSource : long
{
    /// <summary>Fitted to lab runs on the machines SnatTools was developed on; shipped with the module.</summary>
    Shipped,

    /// <summary>Fitted to lab runs on this host (Update-SnatRaceCalibration).</summary>
    Host,
}
