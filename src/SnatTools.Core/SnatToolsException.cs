namespace SnatTools.Core;

/// <summary>
/// A failure an operator can act on: a stable <see cref="ErrorId"/>, a kind for the error
/// category, a message that says what to do, and the object it concerns. The message may quote
/// kernel text (a rule, a chain name), so its control characters are escaped (<see cref="SafeText"/>);
/// <see cref="Target"/> keeps the raw object.
/// </summary>
public class SnatToolsException : Exception
{
    public SnatToolsException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(SafeText.Escape(message, keepLineBreaks: true), inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    public object? Target { get; }
}
