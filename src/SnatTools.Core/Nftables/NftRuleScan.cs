using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>
/// A quick look at a NEWRULE message without decoding it: does it perform source NAT (masq,
/// nat snat, xt target MASQUERADE/SNAT), where can it jump or goto, and which verdict maps does
/// it consult. Big tables are mostly rules that do none of this, so they cost no allocation;
/// only the candidates are decoded fully.
/// </summary>
public static class NftRuleScan
{
    private static ReadOnlySpan<byte> Immediate => "immediate"u8;

    private static ReadOnlySpan<byte> Lookup => "lookup"u8;

    private static ReadOnlySpan<byte> Masq => "masq"u8;

    private static ReadOnlySpan<byte> Nat => "nat"u8;

    private static ReadOnlySpan<byte> Target => "target"u8;

    private static ReadOnlySpan<byte> Masquerade => "MASQUERADE"u8;

    private static ReadOnlySpan<byte> Snat => "SNAT"u8;

    /// <summary>
    /// Scans one rule. Jump/goto targets are added to <paramref name="jumps"/>, verdict-map set
    /// names to <paramref name="verdictMaps"/>; returns true when the rule performs source NAT.
    /// </summary>
    public static bool Scan(in NetlinkMessage message, ICollection<string> jumps, ICollection<string> verdictMaps)
    {
        bool sourceNat = false;
        foreach (var attribute in message.NfAttributes)
        {
            if (attribute.Type != NftaRule.Expressions)
            {
                continue;
            }

            foreach (var element in attribute.GetNested())
            {
                ReadOnlySpan<byte> name = default, data = default;
                foreach (var part in element.GetNested())
                {
                    if (part.Type == NftaExpr.Name)
                    {
                        name = TrimNul(part.Payload);
                    }
                    else if (part.Type == NftaExpr.Data)
                    {
                        data = part.Payload;
                    }
                }

                if (name.SequenceEqual(Immediate))
                {
                    ScanImmediate(data, jumps);
                }
                else if (name.SequenceEqual(Lookup))
                {
                    ScanLookup(data, verdictMaps);
                }
                else if (name.SequenceEqual(Masq))
                {
                    sourceNat = true;
                }
                else if (name.SequenceEqual(Nat))
                {
                    sourceNat |= IsSnat(data);
                }
                else if (name.SequenceEqual(Target))
                {
                    sourceNat |= IsSourceNatTarget(data);
                }
            }
        }

        return sourceNat;
    }

    private static void ScanImmediate(ReadOnlySpan<byte> data, ICollection<string> jumps)
    {
        uint? register = null;
        ReadOnlySpan<byte> value = default;
        foreach (var attribute in new AttributeReader(data))
        {
            if (attribute.Type == NftaImmediate.DReg)
            {
                register = attribute.GetBe32();
            }
            else if (attribute.Type == NftaImmediate.Data)
            {
                value = attribute.Payload;
            }
        }

        if (register != NftRegister.Verdict)
        {
            return;
        }

        foreach (var part in new AttributeReader(value))
        {
            if (part.Type != NftaData.Verdict)
            {
                continue;
            }

            int code = 0;
            string? chain = null;
            foreach (var verdict in part.GetNested())
            {
                if (verdict.Type == NftaVerdict.Code)
                {
                    code = unchecked((int)verdict.GetBe32());
                }
                else if (verdict.Type == NftaVerdict.Chain)
                {
                    chain = verdict.GetString();
                }
            }

            if (code is NftVerdictCode.Jump or NftVerdictCode.Goto && chain is not null)
            {
                jumps.Add(chain);
            }
        }
    }

    private static void ScanLookup(ReadOnlySpan<byte> data, ICollection<string> verdictMaps)
    {
        string? set = null;
        uint? destination = null;
        foreach (var attribute in new AttributeReader(data))
        {
            if (attribute.Type == NftaLookup.Set)
            {
                set = attribute.GetString();
            }
            else if (attribute.Type == NftaLookup.DReg)
            {
                destination = attribute.GetBe32();
            }
        }

        if (destination == NftRegister.Verdict && set is not null)
        {
            verdictMaps.Add(set);
        }
    }

    private static bool IsSnat(ReadOnlySpan<byte> data)
    {
        foreach (var attribute in new AttributeReader(data))
        {
            if (attribute.Type == NftaNat.Type)
            {
                return attribute.GetBe32() == NftaNat.TypeSnat;
            }
        }

        return false;
    }

    private static bool IsSourceNatTarget(ReadOnlySpan<byte> data)
    {
        foreach (var attribute in new AttributeReader(data))
        {
            if (attribute.Type == NftaCompat.Name)
            {
                var name = TrimNul(attribute.Payload);
                return name.SequenceEqual(Masquerade) || name.SequenceEqual(Snat);
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> TrimNul(ReadOnlySpan<byte> value)
    {
        int end = value.IndexOf((byte)0);
        return end < 0 ? value : value[..end];
    }
}
