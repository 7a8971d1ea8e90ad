namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m realm rev 0, IPv4 only (uapi xt_realm.h): struct xt_realm_info { u32 id, mask; u8 invert } = 9,
/// aligned 16. iptables-save names the id from /etc/iproute2/rt_realms when the mask is full.
/// </summary>
public sealed class RealmMatch : XtMatch
{
    private const int Size = 16;

    private RealmMatch(byte[] info)
        : base("realm", 0, info)
    {
    }

    public static RealmMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new RealmMatch(info) : null;

    /// <summary>realm_save: "[!] --realm" and xtables_print_val_mask with the realm names.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        uint id = XtBlob.U32(Info, 0), mask = XtBlob.U32(Info, 4);
        return XtText.Not(Info[8] != 0) + " --realm" + XtText.ValMask(id, mask, value => XtNameMap.LmapName("/etc/iproute2/rt_realms", value));
    }
}
