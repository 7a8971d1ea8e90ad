using System.Management.Automation;
using SnatTools.Core.Lab;

namespace SnatTools;

/// <summary>
/// Before a cmdlet creates a lab: remove the labs whose owner process has ended (killed,
/// crashed), saying so with -Verbose. SnatRaceLab.Create sweeps too; this one runs on the
/// pipeline thread, where the cmdlet can write.
/// </summary>
internal static class LabSweep
{
    public static void RemoveOrphaned(Cmdlet cmdlet)
    {
        if (!SnatRaceLab.CanCreate)
        {
            return; // Create says what is missing.
        }

        foreach (var lab in LabRegistry.Default.RemoveOrphaned())
        {
            cmdlet.WriteVerbose($"Removed {lab}.");
        }
    }
}
