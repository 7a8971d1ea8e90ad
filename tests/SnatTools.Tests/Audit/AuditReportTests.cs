using System.Management.Automation;
using System.Xml;
using SnatTools.Audit;
using SnatTools.Core;

namespace SnatTools.Tests.Audit;

/// <summary>
/// The audit's report from a real Pester run whose names and failure messages hold raw control
/// characters (text no audit check writes any more, so this is the safety net under them).
/// </summary>
public sealed class AuditReportTests : IDisposable
{
    private const string PesterVersion = "6.2.0";
    private readonly string _work = Directory.CreateTempSubdirectory("snattools-report-").FullName;
    private readonly PowerShell _shell = PowerShell.Create();

    public void Dispose()
    {
        _shell.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Theory]
    [InlineData("JUnitXml", "Export-JUnitReport")]
    [InlineData("NUnitXml", "Export-NUnitReport")]
    public void A_run_with_escapes_in_names_and_messages_gives_a_well_formed_report_naming_them(string format, string exporter)
    {
        var run = RunHostileTests();
        string raw = Path.Combine(_work, "raw.xml");
        // Pester alone fails on it, halfway through the file: the problem the safety net is for.
        var failure = Assert.Single(Invoke(exporter, run, raw));
        Assert.Contains("invalid character", failure.ToString(), StringComparison.OrdinalIgnoreCase);

        string report = Path.Combine(_work, $"{format}.xml");
        AuditReport.MakeXmlSafe(run);
        AuditReport.Write(path => Assert.Empty(Invoke(exporter, run, path)), report);

        var xml = new XmlDocument();
        xml.Load(report);
        string text = xml.OuterXml;
        Assert.Contains(@"rule -s 198.18.90.0/24 --comment \x1b]0;pwned\x07 end", text, StringComparison.Ordinal);
        Assert.Contains(@"check \x1b[2J", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.Equal([Path.GetFileName(report), "raw.xml"], Directory.GetFiles(_work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_report_that_cannot_be_written_leaves_no_file_and_keeps_the_old_one()
    {
        string report = Path.Combine(_work, "audit.xml");
        File.WriteAllText(report, "<old/>");

        var error = Assert.Throws<SnatToolsException>(() => AuditReport.Write(
            path =>
            {
                File.WriteAllText(path, "<testsuites><testsuite name=\"half");
                throw new InvalidOperationException("the writer stopped halfway");
            },
            report));

        Assert.Equal(ErrorIds.AuditReportFailed, error.ErrorId);
        Assert.Contains("the writer stopped halfway", error.Message, StringComparison.Ordinal);
        Assert.Equal("<old/>", File.ReadAllText(report));
        Assert.Equal(["audit.xml"], Directory.GetFiles(_work).Select(Path.GetFileName));
    }

    [Fact]
    public void A_malformed_report_is_refused_rather_than_left_for_ci_to_read()
    {
        string report = Path.Combine(_work, "audit.xml");
        var error = Assert.Throws<SnatToolsException>(() => AuditReport.Write(path => File.WriteAllText(path, "<testsuites><testsuite>"), report));
        Assert.Equal(ErrorIds.AuditReportFailed, error.ErrorId);
        Assert.Empty(Directory.GetFiles(_work));
    }

    private PSObject RunHostileTests()
    {
        string tests = Path.Combine(_work, "Hostile.Tests.ps1");
        File.WriteAllText(tests, """
            Describe "check $([char]27)[2J" {
                It "rule $([char]7) names" { throw "rule -s 198.18.90.0/24 --comment $([char]27)]0;pwned$([char]7) end" }
                It 'passes' { }
            }
            """);
        _shell.AddCommand("Import-Module").AddParameter("Name", PesterManifest()).AddParameter("RequiredVersion", PesterVersion).Invoke();
        _shell.Commands.Clear();
        var run = _shell.AddCommand("Invoke-Pester").AddParameter("Path", tests).AddParameter("PassThru").AddParameter("Output", "None").Invoke().Last();
        _shell.Commands.Clear();
        File.Delete(tests);
        return run;
    }

    /// <returns>The errors the exporter wrote.</returns>
    private List<ErrorRecord> Invoke(string exporter, PSObject run, string path)
    {
        _shell.Commands.Clear();
        _shell.Streams.Error.Clear();
        _shell.AddCommand(exporter).AddParameter("Result", run).AddParameter("Path", path).Invoke();
        return [.. _shell.Streams.Error];
    }

    private static string PesterManifest()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string manifest = Path.Combine(packages, "pester", PesterVersion, "tools", "Pester.psd1");
        Assert.True(File.Exists(manifest), $"Pester {PesterVersion} is restored by the test project (PackageDownload); not found at {manifest}");
        return manifest;
    }
}
