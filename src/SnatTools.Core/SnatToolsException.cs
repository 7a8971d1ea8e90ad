namespace SnatTools.Core;

/// <summary>
/// A failure an operator can act on: a stable <see cref="ErrorId"/>, a kind for the error
/// category, a message that says what to do, and the object it concerns.
/// </summary>
public class SnatToolsException : Exception
{
    public SnatToolsException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    public object? Target { get; }
}
