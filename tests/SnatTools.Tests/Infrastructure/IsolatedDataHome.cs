using System.Runtime.CompilerServices;

namespace SnatTools.Tests.Infrastructure;

/// <summary>
/// The tests never read or write the host's own race calibration (/var/lib/snattools for root):
/// XDG_DATA_HOME points at an empty folder of this test run before any test starts.
/// </summary>
internal static class IsolatedDataHome
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"snattools-tests-data-{Environment.ProcessId}");

    [ModuleInitializer]
    internal static void Isolate()
    {
        Directory.CreateDirectory(Path);
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path);
    }
}
