namespace SnatTools.Core.Xtables.Matches;

/// <summary>A match this version cannot print: kept with its blob; the rule is shown as not fully decoded.</summary>
public sealed class UnknownMatch : XtMatch
{
    public UnknownMatch(string name, uint revision, byte[] info)
        : base(name, revision, info)
    {
    }

    public override bool IsDecoded => false;

    /// <summary>
    /// Plainly unknown, never a guess: iptables-save's own words for a match it cannot print
    /// (xshared.c print_match_save: " [unsupported revision]") are the model; the rule's Unknown says why.
    /// </summary>
    public override string SaveOptions(XtSaveContext context) => " [not decoded]";
}
