namespace SnatTools.Core;

/// <summary>
/// What kind of failure a <see cref="SnatToolsException"/> is. The cmdlets map it to PowerShell's
/// ErrorCategory; the core stays free of any PowerShell reference.
/// </summary>
public enum ErrorKind
{
    NotSpecified,
    ObjectNotFound,
    PermissionDenied,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ResourceUnavailable,
    ResourceBusy,
    ResourceExists,
    ProtocolError,
    NotImplemented,
}
