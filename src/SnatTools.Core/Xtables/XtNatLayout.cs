namespace SnatTools.Core.Xtables;

/// <summary>Which uapi struct (linux/netfilter/nf_nat.h) an x_tables NAT target's info blob holds.</summary>
public enum XtNatLayout
{
    /// <summary>struct nf_nat_ipv4_multi_range_compat: 20 bytes, XT_ALIGNed to 24 (IPv4 MASQUERADE, SNAT rev 0).</summary>
    MultiRangeCompat,

    /// <summary>struct nf_nat_range: 40 bytes (IPv6 MASQUERADE, SNAT rev 1).</summary>
    Range,

    /// <summary>struct nf_nat_range2: 44 bytes, XT_ALIGNed to 48 (SNAT rev 2).</summary>
    Range2,
}
