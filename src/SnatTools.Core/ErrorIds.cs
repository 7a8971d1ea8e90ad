namespace SnatTools.Core;

/// <summary>Stable error ids. Scripts match on them (<c>-ErrorId</c>, <c>FullyQualifiedErrorId</c>), so never rename one.</summary>
public static class ErrorIds
{
    public const string NetworkNamespaceNotFound = nameof(NetworkNamespaceNotFound);
    public const string PermissionDenied = nameof(PermissionDenied);
    public const string RuleChanged = nameof(RuleChanged);
    public const string RuleNotDecodable = nameof(RuleNotDecodable);
    public const string RuleNotPreserved = nameof(RuleNotPreserved);
    public const string RuleNotFound = nameof(RuleNotFound);
    public const string NetlinkError = nameof(NetlinkError);
    public const string NetlinkDecodeError = nameof(NetlinkDecodeError);
    public const string InvalidPortRange = nameof(InvalidPortRange);
    public const string LabUnavailable = nameof(LabUnavailable);
    public const string LabNameInUse = nameof(LabNameInUse);
    public const string BackendMismatch = nameof(BackendMismatch);
    public const string InvalidArgument = nameof(InvalidArgument);
    public const string PesterUnavailable = nameof(PesterUnavailable);
    public const string AuditFailed = nameof(AuditFailed);
    public const string AuditTestsMissing = nameof(AuditTestsMissing);
    public const string AuditReportFailed = nameof(AuditReportFailed);
    public const string InvalidDestination = nameof(InvalidDestination);
    public const string CalibrationFailed = nameof(CalibrationFailed);
    public const string RuleLocationIncomplete = nameof(RuleLocationIncomplete);
    public const string MetricFileNotWritten = nameof(MetricFileNotWritten);
    public const string OwnerHasSetting = nameof(OwnerHasSetting);
}
