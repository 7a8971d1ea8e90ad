using SnatTools.Core.Output;

namespace SnatTools.Core.Audit;

/// <summary>
/// The audit of one target: the host (the network namespace the audit ran in) or one named
/// network namespace, on <see cref="ComputerName"/>. It failed when any check failed or the audit
/// could not run its checks at all; skipped checks do not fail it.
/// </summary>
public sealed class SnatAuditResult
{
    public SnatAuditResult(
        string computerName,
        string? networkNamespace,
        IReadOnlyList<SnatAuditCheck> checks,
        TimeSpan duration,
        string? reportPath,
        DateTimeOffset timestamp)
    {
        ComputerName = computerName;
        NetworkNamespace = networkNamespace;
        Checks = ReadableList.From(checks);
        ReportPath = reportPath;
        Timestamp = timestamp;
        Failures = ReadableList.From(checks.Where(c => c.Result == SnatAuditOutcome.Failed));
        PassedCount = checks.Count(c => c.Result == SnatAuditOutcome.Passed);
        FailedCount = checks.Count(c => c.Result == SnatAuditOutcome.Failed);
        SkippedCount = checks.Count - PassedCount - FailedCount;
        Result = FailedCount > 0 || PassedCount == 0 ? SnatAuditOutcome.Failed : SnatAuditOutcome.Passed;
        DurationSpan = duration;
    }

    public string ComputerName { get; }

    /// <summary>The namespace audited, as given; null for the namespace the audit ran in (the host).</summary>
    public string? NetworkNamespace { get; }

    /// <summary>Passed, or Failed when a check failed or none passed (nothing could be checked).</summary>
    public string Result { get; }

    public int PassedCount { get; }

    public int FailedCount { get; }

    /// <summary>Checks skipped (their cmdlet is not available) or not run.</summary>
    public int SkippedCount { get; }

    public IReadOnlyList<SnatAuditCheck> Checks { get; }

    /// <summary>The failed checks, each naming what is wrong and the command that fixes it.</summary>
    public IReadOnlyList<SnatAuditCheck> Failures { get; }

    /// <summary>The whole audit of this target, sampling intervals included, as hh:mm:ss.fffffff text.</summary>
    public string Duration => ReadableText.Duration(DurationSpan);

    internal TimeSpan DurationSpan { get; }

    /// <summary>The NUnit or JUnit XML report the run wrote (one for all targets), or null.</summary>
    public string? ReportPath { get; }

    public DateTimeOffset Timestamp { get; }

    public override string ToString() =>
        $"{ComputerName}{(NetworkNamespace is null ? string.Empty : "/" + NetworkNamespace)}: {Result} ({PassedCount} passed, {FailedCount} failed, {SkippedCount} skipped)";
}
