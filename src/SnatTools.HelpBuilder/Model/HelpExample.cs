namespace SnatTools.HelpBuilder.Model;

/// <summary>An example: the PowerShell code to run, then the sample output and prose remarks in page order.</summary>
public sealed record HelpExample(string Title, string Code, IReadOnlyList<string> Remarks);
