namespace SnatTools.HelpBuilder.Model;

/// <summary>An INPUTS or OUTPUTS entry: a type name and what it means here.</summary>
public sealed record HelpTypeEntry(string TypeName, IReadOnlyList<string> Description);
