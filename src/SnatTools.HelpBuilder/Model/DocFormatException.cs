namespace SnatTools.HelpBuilder.Model;

/// <summary>A doc that breaks the schema, located as <c>file:line</c> so editors can jump to it.</summary>
public sealed class DocFormatException(string file, int line, string problem)
    : Exception($"{file}:{line}: {problem}")
{
    public string File { get; } = file;

    /// <summary>1-based line of the offending markdown.</summary>
    public int Line { get; } = line;

    public string Problem { get; } = problem;
}
