using System.Globalization;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Statements this version keeps as raw expressions but can print as nft does (nftables 1.0.6
/// src/statement.c): limit, quota and log. Null when an attribute is missing, malformed or has a
/// form this version does not print, so the part stays plainly unknown.
/// </summary>
internal static class NftStatementText
{
    private static readonly string[] LogLevels = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit"];

    public static string? Of(UnknownExpression expression)
    {
        try
        {
            var values = new Dictionary<ushort, byte[]>();
            foreach (var attribute in new AttributeReader(expression.Raw.Span))
            {
                values[attribute.Type] = attribute.Payload.ToArray();
            }

            return expression.Name switch
            {
                "limit" => Limit(values),
                "quota" => Quota(values),
                "log" => Log(values),
                "exthdr" => Reset(values),
                "notrack" when values.Count == 0 => "notrack", // statement.c notrack_stmt_print; the expression has no attributes
                _ => null,
            };
        }
        catch (NetlinkDecodeException)
        {
            return null;
        }
    }

    /// <summary>NFTA_LIMIT_RATE/UNIT (be64), BURST/TYPE/FLAGS (be32); statement.c limit_stmt_print.</summary>
    private static string? Limit(Dictionary<ushort, byte[]> values)
    {
        if (Be64(values, 1) is not { } rate || Be64(values, 2) is not { } unit || Unit(unit) is not { } per)
        {
            return null;
        }

        uint burst = Be32(values, 3) ?? 0;
        bool over = ((Be32(values, 5) ?? 0) & 1) != 0;
        string prefix = over ? "over " : string.Empty;
        switch (Be32(values, 4) ?? 0)
        {
            case 0:
                return $"limit rate {prefix}{rate}/{per}" + (burst != 0 && burst != 5 ? $" burst {burst} packets" : string.Empty);
            case 1:
                var (amount, amountUnit) = Bytes(rate);
                var text = $"limit rate {prefix}{amount} {amountUnit}/{per}";
                if (burst != 0)
                {
                    var (b, bUnit) = Bytes(burst);
                    text += $" burst {b} {bUnit}";
                }

                return text;
            default:
                return null;
        }
    }

    /// <summary>
    /// A TCP option strip: exthdr without DREG and SREG, op TCPOPT (NFTA_EXTHDR_TYPE 2, OP 6; nft's optstrip statement):
    /// `reset tcp option sack-perm`, or the kind's number when nft has no name for it.
    /// </summary>
    private static string? Reset(Dictionary<ushort, byte[]> values)
    {
        if (values.ContainsKey(1) || values.ContainsKey(7) || Be32(values, 6) != 1 || !values.TryGetValue(2, out var type) || type.Length != 1)
        {
            return null;
        }

        return "reset tcp option " + (NftExthdrFields.TcpOptionName(type[0]) ?? type[0].ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>NFTA_QUOTA_BYTES/CONSUMED (be64), FLAGS (be32: INV, DEPLETED); statement.c quota_stmt_print.</summary>
    private static string? Quota(Dictionary<ushort, byte[]> values)
    {
        if (Be64(values, 1) is not { } bytes)
        {
            return null;
        }

        bool over = ((Be32(values, 2) ?? 0) & 1) != 0;
        var (amount, unit) = Bytes(bytes);
        var text = $"quota {(over ? "over " : string.Empty)}{amount} {unit}";
        if (Be64(values, 4) is { } used and not 0)
        {
            var (u, uUnit) = Bytes(used);
            text += $" used {u} {uUnit}";
        }

        return text;
    }

    /// <summary>NFTA_LOG_GROUP (be16), PREFIX (string), SNAPLEN (be32), QTHRESHOLD (be16), LEVEL (be32), FLAGS (be32); statement.c log_stmt_print, without log flags.</summary>
    private static string? Log(Dictionary<ushort, byte[]> values)
    {
        uint flags = Be32(values, 6) ?? 0;
        if ((flags & ~LogFlagsAll) != 0 || values.Keys.Any(k => k is 0 or > 6))
        {
            return null;
        }

        var text = new System.Text.StringBuilder("log");
        if (values.TryGetValue(2, out var prefix))
        {
            int end = Array.IndexOf(prefix, (byte)0);
            string value = System.Text.Encoding.UTF8.GetString(prefix, 0, end < 0 ? prefix.Length : end);
            if (value.Contains('"'))
            {
                return null;
            }

            text.Append(" prefix \"").Append(value).Append('"');
        }

        if (Be16(values, 1) is { } group)
        {
            text.Append(" group ").Append(group.ToString(CultureInfo.InvariantCulture));
        }

        if (Be32(values, 3) is { } snaplen)
        {
            text.Append(" snaplen ").Append(snaplen.ToString(CultureInfo.InvariantCulture));
        }

        if (Be16(values, 4) is { } threshold)
        {
            text.Append(" queue-threshold ").Append(threshold.ToString(CultureInfo.InvariantCulture));
        }

        if (Be32(values, 5) is { } level && level != 4)
        {
            if (level >= LogLevels.Length)
            {
                return null;
            }

            text.Append(" level ").Append(LogLevels[level]);
        }

        return LogFlags(text, flags).ToString();
    }

    /// <summary>NF_LOG_TCPSEQ 0x01, TCPOPT 0x02, IPOPT 0x04, UID 0x08, MACDECODE 0x20 (NF_LOG_MASK 0x2f, linux/netfilter/nf_log.h).</summary>
    private const uint LogFlagsAll = 0x2f;

    /// <summary>statement.c log_stmt_print: `flags all`, else `flags tcp sequence,options`, `flags ip options`, `flags skuid`, `flags ether`.</summary>
    private static System.Text.StringBuilder LogFlags(System.Text.StringBuilder text, uint flags)
    {
        if (flags == LogFlagsAll)
        {
            return text.Append(" flags all");
        }

        if ((flags & 0x03) != 0)
        {
            text.Append(" flags tcp");
            string delimiter = " ";
            if ((flags & 0x01) != 0)
            {
                text.Append(" sequence");
                delimiter = ",";
            }

            if ((flags & 0x02) != 0)
            {
                text.Append(delimiter).Append("options");
            }
        }

        if ((flags & 0x04) != 0)
        {
            text.Append(" flags ip options");
        }

        if ((flags & 0x08) != 0)
        {
            text.Append(" flags skuid");
        }

        if ((flags & 0x20) != 0)
        {
            text.Append(" flags ether");
        }

        return text;
    }

    private static string? Unit(ulong seconds) => seconds switch
    {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        604800 => "week",
        _ => null,
    };

    /// <summary>datatype.c get_rate: the largest of bytes, kbytes, mbytes the amount is a whole multiple of.</summary>
    private static (ulong Amount, string Unit) Bytes(ulong bytes)
    {
        string[] units = ["bytes", "kbytes", "mbytes"];
        int i = 0;
        while (bytes != 0 && i < units.Length - 1 && bytes % 1024 == 0)
        {
            bytes /= 1024;
            i++;
        }

        return (bytes, units[i]);
    }

    private static ulong? Be64(Dictionary<ushort, byte[]> values, ushort type) =>
        values.TryGetValue(type, out var v) && v.Length == 8 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(v) : null;

    private static uint? Be32(Dictionary<ushort, byte[]> values, ushort type) =>
        values.TryGetValue(type, out var v) && v.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(v) : null;

    private static ushort? Be16(Dictionary<ushort, byte[]> values, ushort type) =>
        values.TryGetValue(type, out var v) && v.Length == 2 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(v) : null;
}
