namespace SnatTools.HelpBuilder.Model;

/// <summary>One parameter set of the SYNTAX section: its parameter names in the order the syntax block lists them.</summary>
public sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<string> ParameterNames)
{
    /// <summary>The name PowerShell gives the only set of a cmdlet that declares none.</summary>
    public const string AllSets = "__AllParameterSets";
}
