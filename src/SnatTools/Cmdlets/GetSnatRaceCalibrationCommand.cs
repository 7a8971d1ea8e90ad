using System.Management.Automation;
using SnatTools.Core.Race;

namespace SnatTools.Cmdlets;

/// <summary>
/// Get-SnatRaceCalibration: the race-window calibration Test-SnatRace uses on this host (its
/// own, or the shipped default with a warning saying why), with the lab runs behind it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SnatRaceCalibration", DefaultParameterSetName = InUseParameterSet)]
[OutputType(typeof(SnatRaceCalibration))]
public sealed class GetSnatRaceCalibrationCommand : PSCmdlet
{
    private const string InUseParameterSet = "InUse";
    private const string ShippedParameterSet = "Shipped";

    /// <summary>A calibration file other than this host's default.</summary>
    [Parameter(ParameterSetName = InUseParameterSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The calibration shipped with SnatTools, whatever this host has.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ShippedParameterSet)]
    public SwitchParameter Shipped { get; set; }

    protected override void EndProcessing()
    {
        if (Shipped)
        {
            WriteObject(ShippedRaceCalibration.Calibration);
            return;
        }

        string path = Path is null ? SnatRaceCalibrationStore.DefaultPath() : GetUnresolvedProviderPathFromPSPath(Path);
        var choice = SnatRaceCalibrationStore.Choose(path, MachineFacts.Current());
        if (choice.Warning is not null)
        {
            WriteWarning(choice.Warning);
        }

        WriteObject(choice.Calibration);
    }
}
