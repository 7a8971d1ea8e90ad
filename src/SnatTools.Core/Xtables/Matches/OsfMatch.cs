using System.Globalization;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m osf rev 0, IPv4 only (uapi xt_osf.h = nfnetlink_osf.h struct nf_osf_info { char genre[32];
/// u32 len, flags, loglevel, ttl } = 48). The kernel allows it on PREROUTING, INPUT and FORWARD.
/// </summary>
public sealed class OsfMatch : XtMatch
{
    private const int Size = 48;
    private const uint FlagTtl = 2, FlagLog = 4, FlagInvert = 8;  // NF_OSF_TTL, NF_OSF_LOG, NF_OSF_INVERT

    private OsfMatch(byte[] info)
        : base("osf", 0, info)
    {
    }

    public static OsfMatch? Decode(uint revision, byte[] info) =>
        revision == 0 && info.Length == Size && info.AsSpan(0, 32).Contains((byte)0) ? new OsfMatch(info) : null;

    /// <summary>osf_save: "[!] --genre %s" (unquoted), then --ttl and --log when flagged.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        uint flags = XtBlob.U32(Info, 36);
        return XtText.Not((flags & FlagInvert) != 0) + " --genre " + XtBlob.CString(Info, 0, 32)
            + ((flags & FlagTtl) != 0 ? " --ttl " + XtBlob.U32(Info, 44).ToString(CultureInfo.InvariantCulture) : string.Empty)
            + ((flags & FlagLog) != 0 ? " --log " + XtBlob.U32(Info, 40).ToString(CultureInfo.InvariantCulture) : string.Empty);
    }
}
