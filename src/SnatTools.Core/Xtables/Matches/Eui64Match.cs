namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m eui64, IPv6 (libip6t_eui64.c: an int-sized blob nothing reads, no save function: no options).</summary>
public sealed class Eui64Match : XtMatch
{
    private Eui64Match(uint revision, byte[] info)
        : base("eui64", revision, info)
    {
    }

    public static Eui64Match? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new Eui64Match(revision, info) : null;

    public override string SaveOptions(XtSaveContext context) => string.Empty;
}
