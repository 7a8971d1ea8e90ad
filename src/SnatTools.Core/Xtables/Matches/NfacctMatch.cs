namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m nfacct rev 0 and 1 (uapi xt_nfacct.h): char name[NFACCT_NAME_MAX = 32] then the kernel's
/// struct nf_acct pointer at 32 (aligned(8) in v1, naturally at 32 in v0) = 40. usersize is the name.
/// </summary>
public sealed class NfacctMatch : XtMatch
{
    private const int Size = 40;
    private const int NameLength = 32;

    private NfacctMatch(uint revision, byte[] info)
        : base("nfacct", revision, info)
    {
    }

    public static NfacctMatch? Decode(uint revision, byte[] info) =>
        revision <= 1 && info.Length == Size && info.AsSpan(0, NameLength).Contains((byte)0) ? new NfacctMatch(revision, info) : null;

    /// <summary>nfacct_save prints " --nfacct-name " and then xtables_save_string, which adds its own space: two spaces.</summary>
    public override string SaveOptions(XtSaveContext context) => " --nfacct-name " + XtText.SaveString(XtBlob.CString(Info, 0, NameLength));
}
