namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m mh rev 0, IPv6 only (uapi ip6t_mh.h): struct ip6t_mh { u8 types[2]; u8 invflags } = 3, aligned 8.</summary>
public sealed class MhMatch : XtMatch
{
    private const int Size = 8;
    private const byte InvType = 1;  // IP6T_MH_INV_TYPE

    private MhMatch(byte[] info)
        : base("mh", 0, info)
    {
    }

    public static MhMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new MhMatch(info) : null;

    /// <summary>mh_save: nothing for the full range 0:255, else "[!] --mh-type min[:max]" numerically.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        byte min = Info[0], max = Info[1];
        if (min == 0 && max == 0xff)
        {
            return string.Empty;
        }

        return XtText.Not((Info[2] & InvType) != 0) + " --mh-type " + XtText.Range(min, max);
    }
}
