using SnatTools.Core.Output;

namespace SnatTools.Core.Audit;

/// <summary>
/// One check of the audit (one Pester <c>It</c>): its name, how it ended and, when it did not
/// pass, the message that says what is wrong and which command fixes it.
/// </summary>
public sealed record SnatAuditCheck
{
    public SnatAuditCheck(string name, string result, string? message, TimeSpan duration)
    {
        Name = name;
        Result = result;
        Message = message;
        DurationSpan = duration;
    }

    public string Name { get; }

    /// <summary>Pester's result: Passed, Failed, Skipped, Inconclusive or NotRun.</summary>
    public string Result { get; }

    public string? Message { get; }

    /// <summary>How long the check took, as hh:mm:ss.fffffff text.</summary>
    public string Duration => ReadableText.Duration(DurationSpan);

    internal TimeSpan DurationSpan { get; }

    public override string ToString() => Message is null ? $"{Result}: {Name}" : $"{Result}: {Name}: {Message}";
}
