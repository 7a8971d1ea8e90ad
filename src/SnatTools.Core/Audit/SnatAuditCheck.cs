namespace SnatTools.Core.Audit;

/// <summary>
/// One check of the audit (one Pester <c>It</c>): its name, how it ended and, when it did not
/// pass, the message that says what is wrong and which command fixes it.
/// </summary>
public sealed record SnatAuditCheck(string Name, string Result, string? Message, TimeSpan Duration)
{
    public override string ToString() => Message is null ? $"{Result}: {Name}" : $"{Result}: {Name}: {Message}";
}
