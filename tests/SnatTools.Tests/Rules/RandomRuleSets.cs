using System.Globalization;
using CsCheck;

namespace SnatTools.Tests.Rules;

/// <summary>Where a random rule set is loaded: which tool writes it and which oracle prints it back.</summary>
public enum RuleSetKind
{
    IptablesNftIPv4,
    IptablesNftIPv6,
    IptablesLegacyIPv4,
    IptablesLegacyIPv6,
    NftablesIp,
    NftablesIp6,
    NftablesInet,
}

/// <summary>A random set of source-NAT rules and the ruleset text that loads it.</summary>
public sealed record RuleSetCase(RuleSetKind Kind, IReadOnlyList<(string Chain, string Rule)> Rules)
{
    public bool IsNative => Kind is RuleSetKind.NftablesIp or RuleSetKind.NftablesIp6 or RuleSetKind.NftablesInet;

    public bool IsIPv6 => Kind is RuleSetKind.IptablesNftIPv6 or RuleSetKind.IptablesLegacyIPv6 or RuleSetKind.NftablesIp6;

    public string Tool => Kind switch
    {
        RuleSetKind.IptablesNftIPv4 => "iptables-nft-restore",
        RuleSetKind.IptablesNftIPv6 => "ip6tables-nft-restore",
        RuleSetKind.IptablesLegacyIPv4 => "iptables-legacy-restore",
        RuleSetKind.IptablesLegacyIPv6 => "ip6tables-legacy-restore",
        _ => "nft",
    };

    public string TableName => "rnd";

    /// <summary>iptables-restore input, or an nft -f ruleset.</summary>
    public string Ruleset()
    {
        if (!IsNative)
        {
            var lines = new List<string> { "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ":EXTRA - [0:0]", ":ORPHAN - [0:0]" };
            lines.Add("-A POSTROUTING -j EXTRA");
            lines.AddRange(Rules.Select(r => $"-A {r.Chain} {r.Rule}"));
            lines.Add("COMMIT");
            return string.Join('\n', lines) + "\n";
        }

        string family = Kind switch { RuleSetKind.NftablesIp => "ip", RuleSetKind.NftablesIp6 => "ip6", _ => "inet" };
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"table {family} {TableName} {{\n");
        text.Append("\tchain post {\n\t\ttype nat hook postrouting priority 100; policy accept;\n\t\tjump extra\n");
        foreach (var (_, rule) in Rules.Where(r => r.Chain == "POSTROUTING"))
        {
            text.Append("\t\t").Append(rule).Append('\n');
        }

        text.Append("\t}\n");
        foreach (string chain in (string[])["extra", "orphan"])
        {
            text.Append(CultureInfo.InvariantCulture, $"\tchain {chain} {{\n");
            foreach (var (_, rule) in Rules.Where(r => r.Chain.Equals(chain, StringComparison.OrdinalIgnoreCase)))
            {
                text.Append("\t\t").Append(rule).Append('\n');
            }

            text.Append("\t}\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    public override string ToString() => $"{Kind}:\n{Ruleset()}";
}

/// <summary>CsCheck generators for iptables and nft source-NAT rules over 198.18.0.0/15 and 2001:db8::/32.</summary>
public static class RandomRuleSets
{
    private static readonly string[] Interfaces = ["eth0", "docker0", "br-5a7e2c9d1f3b", "wan0", "veth+", "cni0", "eth+"];
    private static readonly string[] Words = ["kubernetes", "service", "traffic", "requiring", "SNAT", "docker", "masq", "cali:flqWnvo8", "a/b:c", "x-1", "pod_net", "1.2"];

    public static readonly Gen<RuleSetCase> Case =
        from kind in Gen.OneOf(Enum.GetValues<RuleSetKind>())
        from count in Gen.Int[1, 5]
        from rules in (kind is RuleSetKind.NftablesIp or RuleSetKind.NftablesIp6 or RuleSetKind.NftablesInet ? NftRule(kind) : IptablesRule(kind)).Array[count]
        select new RuleSetCase(kind, rules);

    private static Gen<string> Optional(Gen<string> gen) => Gen.Frequency((2, Gen.Const(string.Empty)), (1, gen));

    private static Gen<string> Not(bool allowed) => allowed ? Gen.OneOf(string.Empty, "! ") : Gen.Const(string.Empty);

    private static readonly Gen<string> V4Address = from b in Gen.Int[0, 131071] select $"198.{18 + (b >> 16)}.{(b >> 8) & 255}.{b & 255}";

    private static readonly Gen<string> V6Address =
        from a in Gen.Int[0, 0xffff]
        from b in Gen.Int[0, 3]
        from c in Gen.Int[0, 0xffff]
        select b == 0 ? $"2001:db8:{a:x}::{c:x}" : $"2001:db8:{a:x}:{b:x}::{c:x}";

    private static Gen<string> Address(bool v6) => v6 ? V6Address : V4Address;

    private static Gen<string> Prefix(bool v6) => v6 ? Gen.Int[16, 128].Select(p => p.ToString(CultureInfo.InvariantCulture)) : Gen.Int[8, 32].Select(p => p.ToString(CultureInfo.InvariantCulture));

    private static Gen<string> Comment() => Gen.OneOf(Words).Array[1, 4].Select(w => string.Join(' ', w));

    private static Gen<(int Low, int High)> PortRange() =>
        from low in Gen.Int[1, 60000]
        from span in Gen.Int[0, 5000]
        select (low, Math.Min(low + span, 65535));

    private static Gen<string> Flags(bool persistent) =>
        from random in Gen.Bool
        from fully in Gen.Bool
        from keep in Gen.Bool
        select (random ? " --random" : string.Empty) + (fully ? " --random-fully" : string.Empty) + (keep && persistent ? " --persistent" : string.Empty);

    // ---- iptables ----

    private static Gen<(string Chain, string Rule)> IptablesRule(RuleSetKind kind)
    {
        bool v6 = kind is RuleSetKind.IptablesNftIPv6 or RuleSetKind.IptablesLegacyIPv6;
        return from masquerade in Gen.Bool
               from chain in Gen.Frequency((4, Gen.Const("POSTROUTING")), (2, Gen.Const("EXTRA")), (1, Gen.Const("ORPHAN")), (masquerade ? 0 : 1, Gen.Const("INPUT")))
               from source in Optional(from not in Not(true) from a in Address(v6) from p in Prefix(v6) select $"{not}-s {a}/{p} ")
               from destination in Optional(from not in Not(true) from a in Address(v6) from p in Prefix(v6) select $"{not}-d {a}/{p} ")
               from output in chain == "INPUT" ? Gen.Const(string.Empty) : Optional(from not in Not(true) from i in Gen.OneOf(Interfaces) select $"{not}-o {i} ")
               from protocol in Gen.OneOf(0, 0, 6, 17)
               from ports in protocol == 0 ? Gen.Const(string.Empty) : Optional(PortMatch(protocol))
               from matches in IptablesMatch(v6, chain != "INPUT").Array[0, 3]
               from target in masquerade ? Masquerade(protocol) : Snat(v6, protocol)
               let proto = protocol == 0 ? string.Empty : $"-p {(protocol == 6 ? "tcp" : "udp")} "
               select (chain, $"{source}{destination}{output}{proto}{ports}{string.Concat(matches)}{target}");
    }

    private static Gen<string> PortMatch(int protocol)
    {
        string name = protocol == 6 ? "tcp" : "udp";
        return Gen.OneOf(
            from not in Not(true) from side in Gen.OneOf("--sport", "--dport") from p in PortRange() select $"-m {name} {not}{side} {p.Low}{(p.High != p.Low ? $":{p.High}" : string.Empty)} ",
            from ports in Gen.Int[1, 65535].Array[1, 4] from side in Gen.OneOf("--dports", "--sports", "--ports") from not in Not(true)
            select $"-m multiport {not}{side} {string.Join(',', ports)} ");
    }

    private static Gen<string> IptablesMatch(bool v6, bool outputHook) => Gen.OneOf(
        Comment().Select(c => $"-m comment --comment \"{c}\" "),
        from not in Not(true) from mark in Gen.Int[1, 0xffff] from masked in Gen.Bool select $"-m mark {not}--mark 0x{mark:x}{(masked ? "/0xffff" : string.Empty)} ",
        from not in Not(true) from states in Gen.OneOf("NEW", "ESTABLISHED", "NEW,ESTABLISHED", "RELATED,ESTABLISHED", "DNAT", "INVALID,SNAT") select $"-m conntrack {not}--ctstate {states} ",
        Gen.OneOf("NEW", "ESTABLISHED,RELATED").Select(s => $"-m state --state {s} "),
        from not in Not(true) from status in Gen.OneOf("ASSURED", "SEEN_REPLY", "EXPECTED,CONFIRMED") select $"-m conntrack {not}--ctstatus {status} ",
        // ip6 addrtype knows no BROADCAST; --limit-iface-out needs an output interface (postrouting, not input).
        from not in Not(true) from side in Gen.OneOf("--src-type", "--dst-type")
        from type in v6 ? Gen.OneOf("LOCAL", "UNICAST", "MULTICAST") : Gen.OneOf("LOCAL", "UNICAST", "LOCAL,BROADCAST", "MULTICAST")
        from limit in outputHook ? Gen.Bool : Gen.Const(false) select $"-m addrtype {not}{side} {type}{(limit ? " --limit-iface-out" : string.Empty)} ",
        v6 ? Gen.Const("-m conntrack --ctdir ORIGINAL ") :
            from not in Not(true) from a in V4Address from b in V4Address select $"-m iprange {not}--src-range {Min(a, b)}-{Max(a, b)} ");

    private static Gen<string> Masquerade(int protocol) =>
        from ports in protocol == 0 ? Gen.Const(string.Empty) : Optional(PortRange().Select(p => $" --to-ports {p.Low}{(p.High != p.Low ? $"-{p.High}" : string.Empty)}"))
        from flags in Flags(persistent: false)
        select $"-j MASQUERADE{ports}{flags}";

    private static Gen<string> Snat(bool v6, int protocol) =>
        from low in Address(v6)
        from high in Optional(Address(v6))
        from ports in protocol == 0 ? Gen.Const(string.Empty) : Optional(PortRange().Select(p => $"{p.Low}{(p.High != p.Low ? $"-{p.High}" : string.Empty)}"))
        from flags in Flags(persistent: true)
        let range = high.Length > 0 && high != low ? $"{Min(low, high)}-{Max(low, high)}" : low
        let target = ports.Length == 0 ? range : v6 ? $"[{range}]:{ports}" : $"{range}:{ports}"
        select $"-j SNAT --to-source {target}{flags}";

    // ---- nft ----

    private static Gen<(string Chain, string Rule)> NftRule(RuleSetKind kind) =>
        from v6 in kind switch { RuleSetKind.NftablesIp => Gen.Const(false), RuleSetKind.NftablesIp6 => Gen.Const(true), _ => Gen.Bool }
        let ip = v6 ? "ip6" : "ip"
        from source in Optional(from not in Gen.OneOf(string.Empty, "!= ") from a in Address(v6) from p in Gen.Frequency((1, Gen.Const(string.Empty)), (2, Prefix(v6).Select(x => "/" + x))) select $"{ip} saddr {not}{a}{p} ")
        from destination in Optional(Gen.OneOf(
            from not in Gen.OneOf(string.Empty, "!= ") from a in Address(v6) from p in Prefix(v6) select $"{ip} daddr {not}{a}/{p} ",
            from not in Gen.OneOf(string.Empty, "!= ") from a in Address(v6) from b in Address(v6) where a != b select $"{ip} daddr {not}{Min(a, b)}-{Max(a, b)} ",
            // Narrow prefixes keep the two elements from overlapping (nft refuses overlapping intervals).
            from a in Address(v6) from b in Address(v6) from p in v6 ? Gen.Int[120, 128] : Gen.Int[28, 32] where a != b select $"{ip} daddr {{ {a}, {b}/{p} }} "))
        from output in Optional(from not in Gen.OneOf(string.Empty, "!= ") from i in Gen.OneOf("eth0", "docker0", "wan0", "lo") from wild in Gen.Bool select $"oifname {not}\"{(wild ? i[..^1] + "*" : i)}\" ")
        from protocol in Gen.OneOf(0, 0, 6, 17)
        from ports in protocol == 0 ? Gen.Const(string.Empty) : NftPorts(protocol)
        from extra in Gen.OneOf(
            Gen.Const(string.Empty),
            Gen.OneOf("ct state new ", "ct state established,new ", "ct status dnat ", "ct state invalid,related "),
            from mark in Gen.Int[1, 0xffff] from form in Gen.Int[0, 2]
            select form switch { 0 => $"meta mark 0x{mark:x} ", 1 => $"meta mark != 0x{mark:x} ", _ => $"meta mark & 0x0000ff00 == 0x{mark & 0xff00:x} " })
        from counter in Gen.Bool
        from masquerade in Gen.Bool
        from snat in Gen.Frequency((4, NftSnat(kind == RuleSetKind.NftablesInet ? ip + " " : string.Empty, v6, protocol)), (1, NftSnatFromMap(kind == RuleSetKind.NftablesInet, v6)), (1, NftSnatToPrefix(v6)))
        from nat in masquerade ? NftMasquerade(protocol) : Gen.Const(snat)
        from comment in Optional(Comment().Select(c => $" comment \"{c}\""))
        from chain in Gen.Frequency((4, Gen.Const("POSTROUTING")), (2, Gen.Const("extra")), (1, Gen.Const("orphan")))
        let l4 = protocol == 0 ? string.Empty : $"meta l4proto {(protocol == 6 ? "tcp" : "udp")} "
        select (chain, $"{source}{destination}{output}{l4}{ports}{extra}{(counter ? "counter " : string.Empty)}{nat}{comment}");

    private static Gen<string> NftPorts(int protocol)
    {
        string name = protocol == 6 ? "tcp" : "udp";
        return Gen.OneOf(
            Gen.Const(string.Empty),
            from side in Gen.OneOf("sport", "dport") from not in Gen.OneOf(string.Empty, "!= ") from p in PortRange()
            select $"{name} {side} {not}{p.Low}{(p.High != p.Low ? $"-{p.High}" : string.Empty)} ",
            from ports in Gen.Int[1, 65535].ArrayUnique[2, 4] select $"{name} dport {{ {string.Join(", ", ports)} }} ");
    }

    private static Gen<string> NftFlags() =>
        from random in Gen.Bool
        from fully in Gen.Bool
        from keep in Gen.Bool
        let flags = new[] { random ? "random" : null, fully ? "fully-random" : null, keep ? "persistent" : null }.OfType<string>().ToArray()
        select flags.Length == 0 ? string.Empty : " " + string.Join(',', flags);

    private static Gen<string> NftMasquerade(int protocol) =>
        from ports in protocol == 0 ? Gen.Const(string.Empty) : Optional(PortRange().Select(p => $" to :{p.Low}{(p.High != p.Low ? $"-{p.High}" : string.Empty)}"))
        from flags in NftFlags()
        select $"masquerade{ports}{flags}";

    private static Gen<string> NftSnat(string family, bool v6, int protocol) =>
        from low in Address(v6)
        from high in Optional(Address(v6))
        from ports in protocol == 0 ? Gen.Const(string.Empty) : Optional(PortRange().Select(p => $"{p.Low}{(p.High != p.Low ? $"-{p.High}" : string.Empty)}"))
        from flags in NftFlags()
        let hasRange = high.Length > 0 && high != low
        let addresses = v6 && ports.Length > 0
            ? (hasRange ? $"[{Min(low, high)}]-[{Max(low, high)}]" : $"[{low}]")
            : (hasRange ? $"{Min(low, high)}-{Max(low, high)}" : low)
        select $"snat {family}to {addresses}{(ports.Length > 0 ? ":" + ports : string.Empty)}{flags}";

    /// <summary>snat to addresses an anonymous map picks by source address (interval data: a range).</summary>
    private static Gen<string> NftSnatFromMap(bool inet, bool v6) =>
        from keys in Address(v6).Array[1, 3]
        from interval in Gen.Bool
        from values in (interval ? from a in Address(v6) from b in Address(v6) where a != b select $"{Min(a, b)}-{Max(a, b)}" : Address(v6)).Array[keys.Length]
        from flags in NftFlags()
        let ip = v6 ? "ip6" : "ip"
        let unique = keys.Distinct().ToArray()
        select $"snat {(inet || interval ? ip + " " : string.Empty)}to {ip} saddr map {{ {string.Join(", ", unique.Select((k, i) => $"{k} : {values[i]}"))} }}{flags}";

    /// <summary>snat to an address block (a range nft prints as a prefix).</summary>
    private static Gen<string> NftSnatToPrefix(bool v6) =>
        from a in Address(v6)
        from p in v6 ? Gen.Int[96, 128] : Gen.Int[20, 32]
        from flags in NftFlags()
        select $"snat {(v6 ? "ip6" : "ip")} to {a}/{p}{flags}";

    private static string Min(string a, string b) => Compare(a, b) <= 0 ? a : b;

    private static string Max(string a, string b) => Compare(a, b) <= 0 ? b : a;

    private static int Compare(string a, string b) =>
        System.Net.IPAddress.Parse(a).GetAddressBytes().AsSpan().SequenceCompareTo(System.Net.IPAddress.Parse(b).GetAddressBytes());
}
