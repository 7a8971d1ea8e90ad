namespace SnatTools.Core.Xtables.Matches;

/// <summary>A match this version cannot print: kept with its blob; the rule is shown as not fully decoded.</summary>
public sealed class UnknownMatch : XtMatch
{
    public UnknownMatch(string name, uint revision, byte[] info)
        : base(name, revision, info)
    {
    }

    public override bool IsDecoded => false;

    /// <summary>No options: iptables-save would print them, we cannot; the rule's Unknown says so.</summary>
    public override string SaveOptions(XtSaveContext context) => string.Empty;
}
