using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Lab;

namespace SnatTools.Cmdlets;

/// <summary>New-SnatRaceLab: a throw-away client / Docker-style NAT / server lab in three network namespaces.</summary>
[Cmdlet(VerbsCommon.New, "SnatRaceLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SnatRaceLab))]
public sealed class NewSnatRaceLabCommand : PSCmdlet
{
    /// <summary>Client addresses: the largest burst that can share one source port.</summary>
    [Parameter]
    [ValidateRange(1, LabAddressPlan.MaxClients)]
    public int Clients { get; set; } = 8;

    /// <summary>Flags of the NAT host's MASQUERADE rule.</summary>
    [Parameter]
    public LabMasqueradeMode Mode { get; set; } = LabMasqueradeMode.Plain;

    /// <summary>CPUs the client threads spread over (default: all).</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int Cpus { get; set; } = Environment.ProcessorCount;

    /// <summary>Namespace name prefix; the lab adds -client, -nat and -server.</summary>
    [Parameter]
    [ValidatePattern("^snattools-[a-z0-9-]{1,30}$")]
    public string? Name { get; set; }

    protected override void EndProcessing()
    {
        string target = Name ?? "snattools-lab-<random>";
        if (!ShouldProcess($"{target}-client, {target}-nat, {target}-server", "Create network namespaces, veth pairs and a MASQUERADE rule"))
        {
            return;
        }

        try
        {
            LabSweep.RemoveOrphaned(this);
            WriteObject(SnatRaceLab.Create(Mode, Clients, Cpus, Name));
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }
}
