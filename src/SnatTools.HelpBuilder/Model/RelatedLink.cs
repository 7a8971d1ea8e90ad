namespace SnatTools.HelpBuilder.Model;

/// <summary>A RELATED LINKS entry; Uri is empty for links to other pages of these docs.</summary>
public sealed record RelatedLink(string Text, string Uri);
