using System.Management.Automation;
using SnatTools.Core;

namespace SnatTools;

/// <summary>Turns core failures into ErrorRecords with the stable error id and a matching category.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(SnatToolsException exception) =>
        new(exception, exception.ErrorId, Category(exception.Kind), exception.Target);

    public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target) =>
        new(new SnatToolsException(errorId, ErrorKind.NotSpecified, message, target), errorId, category, target);

    /// <summary>
    /// Reports a failure for one item: missing permission stops the command (nothing else can
    /// succeed either); anything else is written as a non-terminating error so the pipeline goes on.
    /// </summary>
    public static void Report(this PSCmdlet cmdlet, SnatToolsException exception)
    {
        var record = From(exception);
        if (exception.Kind == ErrorKind.PermissionDenied)
        {
            cmdlet.ThrowTerminatingError(record);
        }

        cmdlet.WriteError(record);
    }

    private static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        ErrorKind.ProtocolError => ErrorCategory.ProtocolError,
        ErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };
}
