using SnatTools.Core.Rules;

namespace SnatTools.Core.Guard;

/// <summary>
/// What the guard reports, always on the thread that runs it (the cmdlet's pipeline thread, so
/// ShouldProcess, WriteObject and WriteWarning may be called from here).
/// </summary>
public interface ISnatGuardSink
{
    /// <summary>Whether to repair <paramref name="rule"/> (ShouldProcess); <paramref name="change"/> says what would change.</summary>
    bool ShouldRepair(SnatRule rule, string change);

    void Repaired(SnatGuardRepair repair);

    void Warning(string message);

    void Error(SnatToolsException error);

    void Verbose(string message);
}
