using System.Globalization;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m quota rev 0 (uapi xt_quota.h): struct xt_quota_info { u32 flags, pad; aligned_u64 quota;
/// struct xt_quota_priv *master } = 24. usersize is offsetof(master): the pointer is the kernel's.
/// The quota the kernel dumps is the one configured (the remaining bytes live in master).
/// </summary>
public sealed class QuotaMatch : XtMatch
{
    private const int Size = 24;

    private QuotaMatch(byte[] info)
        : base("quota", 0, info)
    {
    }

    public static QuotaMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new QuotaMatch(info) : null;

    /// <summary>quota_save: "[!] --quota %llu" (XT_QUOTA_INVERT is bit 0 of flags).</summary>
    public override string SaveOptions(XtSaveContext context) =>
        XtText.Not((XtBlob.U32(Info, 0) & 1) != 0) + " --quota " + XtBlob.U64(Info, 8).ToString(CultureInfo.InvariantCulture);
}
