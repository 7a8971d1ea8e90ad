using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SnatTools.Benchmarks;

/// <summary>A runspace with the module's cmdlets loaded in-process, to time cmdlets warm as a script would call them.</summary>
public sealed class InProcessPowerShell : IDisposable
{
    private readonly Runspace _runspace;

    public InProcessPowerShell()
    {
        var state = SnatToolsSessionState.Create();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public int Invoke(string script)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        var output = shell.AddScript(script).Invoke();
        if (shell.HadErrors)
        {
            throw new InvalidOperationException($"{script}: {string.Join("; ", shell.Streams.Error)}");
        }

        return output.Count;
    }

    public void Dispose() => _runspace.Dispose();
}
