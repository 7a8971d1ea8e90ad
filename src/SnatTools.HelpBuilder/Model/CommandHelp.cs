namespace SnatTools.HelpBuilder.Model;

/// <summary>One cmdlet's help page as PlatyPS's markdown schema describes it.</summary>
public sealed record CommandHelp(
    string Name,
    string HelpFile,
    IReadOnlyList<string> Synopsis,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<string> Description,
    IReadOnlyList<HelpExample> Examples,
    IReadOnlyList<HelpParameter> Parameters,
    IReadOnlyList<HelpTypeEntry> Inputs,
    IReadOnlyList<HelpTypeEntry> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<RelatedLink> RelatedLinks)
{
    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Split('-', 2) is [_, var noun] ? noun : string.Empty;
}
