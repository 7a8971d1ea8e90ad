namespace SnatTools.Core.Audit;

/// <summary>
/// How a check, or the audit of a target, ended: Pester's result names. Plain strings rather than
/// an enum because audit results cross PowerShell remoting, where an enum arrives as its number
/// and `Where-Object Result -eq Failed` would no longer match.
/// </summary>
public static class SnatAuditOutcome
{
    public const string Passed = nameof(Passed);
    public const string Failed = nameof(Failed);
    public const string Skipped = nameof(Skipped);
    public const string Inconclusive = nameof(Inconclusive);
    public const string NotRun = nameof(NotRun);

    private static readonly string[] Known = [Passed, Failed, Skipped, Inconclusive, NotRun];

    /// <summary>Pester's result text as one of the names above (anything else: NotRun).</summary>
    public static string Parse(string? pesterResult) =>
        Known.FirstOrDefault(name => string.Equals(name, pesterResult, StringComparison.OrdinalIgnoreCase)) ?? NotRun;
}
