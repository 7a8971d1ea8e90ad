using System.Management.Automation;
using System.Runtime.InteropServices;
using SnatTools.Core;
using SnatTools.Core.Guard;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;

namespace SnatTools.Cmdlets;

/// <summary>
/// Watch-SnatRule: repairs masquerade/SNAT rules that lack random-fully, then keeps them repaired
/// as their owners rewrite them (nf_tables events; iptables-legacy polled), until Ctrl-C or SIGTERM.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "SnatRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SnatGuardRepair))]
public sealed class WatchSnatRuleCommand : PSCmdlet
{
    private CancellationTokenSource? _stop;

    /// <summary>Keep NF_NAT_RANGE_PROTO_RANDOM_FULLY set (the flag the guard maintains; Set-SnatRule's -RandomFully).</summary>
    [Parameter]
    public SwitchParameter RandomFully { get; set; }

    /// <summary>Only rules of these owners; default every owner without a random-fully setting of its own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public SnatOwner[]? Owner { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? NetworkNamespace { get; set; }

    [Parameter]
    public SnatBackend? Backend { get; set; }

    [Parameter]
    [ValidateSet(nameof(SnatFamily.IPv4), nameof(SnatFamily.IPv6))]
    public SnatFamily? Family { get; set; }

    /// <summary>How often iptables-legacy tables are compared (they send no change events); seconds or a TimeSpan.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    protected override void ProcessRecord()
    {
        if (!RandomFully.IsPresent)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument,
                "Say which flag to keep in place: -RandomFully.", null));
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromHours(1))
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument,
                $"-PollInterval must be between 0.1 seconds and one hour; it was {PollInterval}.", PollInterval));
        }

        var guard = new SnatGuard(new SnatGuardOptions
        {
            Change = NatFlagChange.From(randomFully: true, random: null, persistent: null),
            Owners = Owner,
            NetworkNamespace = NetworkNamespace,
            Backend = Backend,
            Family = Family,
            PollInterval = PollInterval,
        });

        using var stop = new CancellationTokenSource();
        _stop = stop;
        // systemctl stop sends SIGTERM: end the watch cleanly instead of being killed mid-write.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            guard.Run(stop.Token, new Sink(this));
        }
        catch (SnatToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
        finally
        {
            _stop = null;
        }
    }

    protected override void StopProcessing() => _stop?.Cancel();

    /// <summary>The guard's reports, on the pipeline thread that runs it.</summary>
    private sealed class Sink(WatchSnatRuleCommand cmdlet) : ISnatGuardSink
    {
        public bool ShouldRepair(SnatRule rule, string change) =>
            cmdlet.ShouldProcess(SafeText.Escape($"{rule.Text} [{SnatRuleWriter.Location(rule)}]"), change);

        public void Repaired(SnatGuardRepair repair) => cmdlet.WriteObject(repair);

        public void Warning(string message) => cmdlet.WriteWarning(SafeText.Escape(message, keepLineBreaks: true));

        public void Error(SnatToolsException error) => cmdlet.WriteError(ErrorRecords.From(error));

        public void Verbose(string message) => cmdlet.WriteVerbose(message);
    }
}
