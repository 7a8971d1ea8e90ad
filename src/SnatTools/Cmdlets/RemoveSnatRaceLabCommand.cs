using System.Management.Automation;
using SnatTools.Core.Lab;

namespace SnatTools.Cmdlets;

/// <summary>Remove-SnatRaceLab: deletes a lab's namespaces (and with them its veths and rules).</summary>
[Cmdlet(VerbsCommon.Remove, "SnatRaceLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
public sealed class RemoveSnatRaceLabCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public SnatRaceLab[] InputObject { get; set; } = [];

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
}
