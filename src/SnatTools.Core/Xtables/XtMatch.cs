namespace SnatTools.Core.Xtables;

/// <summary>
/// An x_tables match decoded from its info blob (the struct after xt_entry_match, or
/// NFTA_MATCH_INFO). It prints itself as iptables-save does: " -m name" then its options.
/// A decoder takes only a blob of exactly XT_ALIGN(sizeof(uapi struct)) bytes, the size both backends
/// dump; any other size is a layout we do not know and stays an UnknownMatch.
/// </summary>
public abstract class XtMatch
{
    protected XtMatch(string name, uint revision, byte[] info)
    {
        Name = name;
        Revision = revision;
        Info = info;
    }

    /// <summary>The kernel extension name (conntrack, comment, ...).</summary>
    public string Name { get; }

    public uint Revision { get; }

    public byte[] Info { get; }

    /// <summary>The name iptables-save prints after -m (an alias such as "state" for conntrack).</summary>
    public virtual string SaveName => Name;

    /// <summary>False for a match this version cannot print; the rule is then not fully decoded.</summary>
    public virtual bool IsDecoded => true;

    /// <summary>The options part, each starting with a space, as the extension's save() prints it.</summary>
    public abstract string SaveOptions(XtSaveContext context);

    /// <summary>" -m name options".</summary>
    public string Save(XtSaveContext context) => $" -m {SaveName}{SaveOptions(context)}";
}
