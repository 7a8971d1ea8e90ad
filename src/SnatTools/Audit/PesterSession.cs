using System.Collections;
using System.Management.Automation;
using SnatTools.Core;

namespace SnatTools.Audit;

/// <summary>
/// Pester, driven from a cmdlet: imported by name (the module does not bundle it) and run in the
/// caller's runspace, so its console output and the tests' module state are the caller's own.
/// </summary>
internal sealed class PesterSession : IDisposable
{
    public static readonly Version MinimumVersion = new(5, 0);

    private readonly PowerShell _shell = PowerShell.Create(RunspaceMode.CurrentRunspace);

    /// <summary>Errors the Pester commands wrote (not test failures: Pester reports those in its result).</summary>
    public IReadOnlyList<ErrorRecord> Errors => _shell.Streams.Error.ToList();

    /// <summary>Imports Pester 5 or later, or explains how to install it.</summary>
    public Version Import()
    {
        // A Pester the session already loaded (perhaps from a path) is used as it is.
        var loaded = Invoke(shell => shell.AddCommand(@"Microsoft.PowerShell.Core\Get-Module").AddParameter("Name", "Pester"))
            .Select(o => o.BaseObject).OfType<PSModuleInfo>().Where(m => m.Version >= MinimumVersion).OrderByDescending(m => m.Version).FirstOrDefault();
        if (loaded is not null)
        {
            return loaded.Version;
        }

        var found = Invoke(shell => shell
            .AddCommand(@"Microsoft.PowerShell.Core\Import-Module")
            .AddParameter("Name", "Pester")
            .AddParameter("MinimumVersion", MinimumVersion)
            .AddParameter("PassThru")
            .AddParameter("ErrorAction", ActionPreference.SilentlyContinue));
        var module = found.Select(o => o.BaseObject).OfType<PSModuleInfo>().OrderByDescending(m => m.Version).FirstOrDefault();
        if (module is null)
        {
            _shell.Streams.Error.Clear();
            throw new SnatToolsException(
                ErrorIds.PesterUnavailable,
                ErrorKind.ObjectNotFound,
                $"Invoke-SnatAudit runs the Pester tests SnatTools ships and needs Pester {MinimumVersion} or later, which is not installed in any folder of $env:PSModulePath. " +
                "Install it with: Install-PSResource -Name Pester -Version '[5.0,]' (or: Install-Module -Name Pester -MinimumVersion 5.0 -Scope CurrentUser), then run the audit again.",
                "Pester");
        }

        return module.Version;
    }

    /// <summary>A container for one audit file, given only the parameters the file declares (audit files may take a subset).</summary>
    public object NewContainer(string path, IReadOnlyDictionary<string, object?> parameters)
    {
        var script = Invoke(shell => shell.AddCommand(@"Microsoft.PowerShell.Core\Get-Command").AddParameter("Name", path)).Select(o => o.BaseObject).OfType<ExternalScriptInfo>().Single();
        var data = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in parameters)
        {
            if (script.Parameters.ContainsKey(name))
            {
                data[name] = value;
            }
        }

        return Invoke(shell => shell.AddCommand(@"Pester\New-PesterContainer").AddParameter("Path", path).AddParameter("Data", data)).Single().BaseObject;
    }

    /// <summary>Runs Invoke-Pester with a configuration given as New-PesterConfiguration's hashtable; returns the run.</summary>
    public PSObject Run(Hashtable configuration)
    {
        var config = Invoke(shell => shell.AddCommand(@"Pester\New-PesterConfiguration").AddParameter("Hashtable", configuration)).Single();
        return Invoke(shell => shell.AddCommand(@"Pester\Invoke-Pester").AddParameter("Configuration", config)).Last();
    }

    /// <summary>
    /// Writes the run as an NUnit 2.5 (NUnitXml) or JUnit 4 (JUnitXml) report with Pester's own
    /// exporters, after <see cref="AuditReport.MakeXmlSafe"/>.
    /// </summary>
    public void Export(PSObject run, string format, string path)
    {
        AuditReport.MakeXmlSafe(run);
        AuditReport.Write(
            temporary =>
            {
                int errors = _shell.Streams.Error.Count;
                Invoke(shell => shell
                    .AddCommand(format == "JUnitXml" ? @"Pester\Export-JUnitReport" : @"Pester\Export-NUnitReport")
                    .AddParameter("Result", run)
                    .AddParameter("Path", temporary));
                if (_shell.Streams.Error.Count > errors)
                {
                    var error = _shell.Streams.Error[errors];
                    throw new InvalidOperationException(error.Exception?.Message ?? error.ToString(), error.Exception);
                }
            },
            path);
    }

    /// <summary>Stops a running Invoke-Pester (Ctrl+C on the cmdlet).</summary>
    public void Stop() => _shell.Stop();

    public void Dispose() => _shell.Dispose();

    private System.Collections.ObjectModel.Collection<PSObject> Invoke(Action<PowerShell> build)
    {
        _shell.Commands.Clear();
        build(_shell);
        return _shell.Invoke();
    }
}
