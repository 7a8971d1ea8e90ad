using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Lab;

namespace SnatTools.Cmdlets;

/// <summary>
/// Remove-SnatRaceLab: deletes a lab's namespaces (and with them its veths and rules); with
/// -Orphaned, every lab whose owner process has ended without removing it.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "SnatRaceLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = InputObjectSet)]
public sealed class RemoveSnatRaceLabCommand : PSCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string OrphanedSet = "Orphaned";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public SnatRaceLab[] InputObject { get; set; } = [];

    /// <summary>Labs left by processes that were killed or crashed (never one whose process still runs).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OrphanedSet)]
    public SwitchParameter Orphaned { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var lab in InputObject)
        {
            if (ShouldProcess($"{lab.ClientNamespace}, {lab.NatNamespace}, {lab.ServerNamespace}", "Delete network namespaces"))
            {
                lab.Dispose();
            }
        }
    }

    protected override void EndProcessing()
    {
        if (!Orphaned)
        {
            return;
        }

        if (!SnatRaceLab.CanCreate)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.LabUnavailable, ErrorCategory.PermissionDenied,
                "Removing orphaned labs deletes network namespaces, which needs root. Run as root (for example with sudo).", null));
        }

        try
        {
            foreach (var lab in LabRegistry.Default.FindOrphaned())
            {
                if (!ShouldProcess(lab.ToString(), "Delete the network namespaces of an orphaned race lab"))
                {
                    continue;
                }

                if (LabRegistry.Default.Remove(lab))
                {
                    WriteVerbose($"Removed {lab}.");
                }
                else
                {
                    WriteVerbose($"{lab.Name} changed meanwhile (removed or re-created by another process); left as it is.");
                }
            }
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }
}
