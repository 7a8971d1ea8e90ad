using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m connlimit (uapi xt_connlimit.h struct xt_connlimit_info { union nf_inet_addr mask; unsigned
/// int limit; u32 flags (rev 1); kernel data pointer }), as libxt_connlimit.c connlimit_save4 /
/// connlimit_save6 print it: XT_CONNLIMIT_INVERT 1 (upto), XT_CONNLIMIT_DADDR 2; the mask as its bit count.
/// </summary>
public sealed class ConnlimitMatch : XtMatch
{
    private ConnlimitMatch(uint revision, byte[] info)
        : base("connlimit", revision, info)
    {
    }

    public static ConnlimitMatch? Decode(uint revision, byte[] info) => revision <= 1 && info.Length == 32 ? new ConnlimitMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        uint limit = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(16)), flags = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(20));
        var text = new StringBuilder((flags & 1) != 0 ? " --connlimit-upto " : " --connlimit-above ").Append(limit);
        // count_bits4/6: the number of set bits, whatever their order.
        int bits = 0;
        foreach (byte b in Info.AsSpan(0, context.IsIPv6 ? 16 : 4))
        {
            bits += System.Numerics.BitOperations.PopCount(b);
        }

        text.Append(" --connlimit-mask ").Append(bits);
        if (Revision >= 1)
        {
            text.Append((flags & 2) != 0 ? " --connlimit-daddr" : " --connlimit-saddr");
        }

        return text.ToString();
    }
}
