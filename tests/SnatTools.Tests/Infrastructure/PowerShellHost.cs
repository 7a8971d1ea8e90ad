using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SnatTools.Tests.Infrastructure;

/// <summary>
/// Hosts the module's cmdlets in-process (Microsoft.PowerShell.SDK): each cmdlet class is added
/// to an InitialSessionState, so tests call them exactly as a script would.
/// </summary>
public sealed class PowerShellHost : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellHost()
    {
        var state = SnatToolsSessionState.Create();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    /// <summary>Runs a script; returns the output and the non-terminating errors.</summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Invoke(string script, IDictionary<string, object?>? variables = null)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        shell.AddScript(script);
        var output = shell.Invoke();
        return (output, shell.Streams.Error.ToList());
    }

    public void Dispose() => _runspace.Dispose();
}
