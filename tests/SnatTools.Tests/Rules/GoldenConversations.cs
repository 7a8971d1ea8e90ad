using SnatTools.Core.Nat;
using SnatTools.Core.Rules;
using SnatTools.Tests.Fakes;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>
/// The rulesets whose Set-SnatRule conversations are kept as golden files
/// (TestData/set-snat-rule-*.hex): one per backend and family. Each was recorded from a real run
/// in a fresh namespace (<see cref="Record"/>) and is replayed without root by the fake kernel.
/// </summary>
public static class GoldenConversations
{
    public sealed record Case(string File, string Backend, string Tool, string Ruleset)
    {
        public override string ToString() => File;
    }

    public static readonly Case NftIPv4 = new("set-snat-rule-nftables-ipv4.hex", "nftables (native, table ip natx)", "nft", """
        table ip natx {
        	chain post {
        		type nat hook postrouting priority srcnat; policy accept;
        		oifname != "lo" masquerade
        		ip saddr 198.18.0.0/16 tcp dport { 80, 443 } masquerade comment "web"
        		ip saddr 198.19.1.0/24 snat to 198.19.0.1-198.19.0.5
        	}
        }

        """);

    public static readonly Case NftIPv6 = new("set-snat-rule-nftables-ipv6.hex", "nftables (native, table ip6 natx)", "nft", """
        table ip6 natx {
        	chain post {
        		type nat hook postrouting priority srcnat; policy accept;
        		ip6 saddr 2001:db8:1::/64 masquerade
        		ip6 saddr 2001:db8:2::/64 meta l4proto tcp snat to [2001:db8::1]:1000-2000 comment "v6"
        	}
        }

        """);

    private const string IptablesIPv4 = """
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :SNAT-CHAIN - [0:0]
        -A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
        -A POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random
        -A POSTROUTING -j SNAT-CHAIN
        -A SNAT-CHAIN -s 198.18.1.0/24 -p tcp -m tcp --dport 80 -j SNAT --to-source 198.19.0.1-198.19.0.5:1000-2000 --persistent
        COMMIT

        """;

    private const string IptablesIPv6 = """
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A POSTROUTING -s 2001:db8:1::/64 -j MASQUERADE
        -A POSTROUTING -s 2001:db8:2::/64 -p tcp -m comment --comment "v6 snat" -j SNAT --to-source [2001:db8::1-2001:db8::9]:1000-2000 --persistent
        COMMIT

        """;

    public static readonly Case IptablesNftIPv4 = new("set-snat-rule-iptables-nft-ipv4.hex", "iptables-nft (table ip nat)", "iptables-nft-restore", IptablesIPv4);

    public static readonly Case IptablesNftIPv6 = new("set-snat-rule-iptables-nft-ipv6.hex", "ip6tables-nft (table ip6 nat)", "ip6tables-nft-restore", IptablesIPv6);

    public static readonly Case LegacyIPv4 = new("set-snat-rule-iptables-legacy-ipv4.hex", "iptables-legacy (x_tables nat)", "iptables-legacy-restore", IptablesIPv4);

    public static readonly Case LegacyIPv6 = new("set-snat-rule-iptables-legacy-ipv6.hex", "ip6tables-legacy (x_tables nat)", "ip6tables-legacy-restore", IptablesIPv6);

    public static IEnumerable<Case> All => [NftIPv4, NftIPv6, IptablesNftIPv4, IptablesNftIPv6, LegacyIPv4, LegacyIPv6];

    public static TheoryData<string> Files => new(All.Select(c => c.File));

    public static Case ByFile(string file) => All.Single(c => c.File == file);

    public static NatFlagChange RandomFully => NatFlagChange.From(randomFully: true, random: null, persistent: null);

    /// <summary>What Set-SnatRule does: read the rules (Get-SnatRule), then set random-fully on all of them.</summary>
    public static (List<SnatRule> Rules, List<SnatRuleChange> Changes) SetRandomFully(Core.Linux.IKernelDialer dialer, string networkNamespace)
    {
        var rules = new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = networkNamespace }, dialer: dialer).Read().ToList();
        var changes = new SnatRuleWriter(RandomFully) { Dialer = dialer }.Apply(rules).ToList();
        return (rules, changes);
    }

    /// <summary>
    /// Runs <see cref="SetRandomFully"/> against the real kernel in <paramref name="ns"/> (loaded
    /// with the case's ruleset) through a recorder, checks with the real tools that only the flag
    /// changed, and returns the recording with a header saying how it was made.
    /// </summary>
    public static KernelConversation Record(Case golden, TestNamespace ns)
    {
        if (golden.Tool == "nft")
        {
            LiveRules.NftLoad(ns, golden.Ruleset);
        }
        else
        {
            LiveRules.IptablesRestore(ns, golden.Ruleset, golden.Tool);
        }

        var before = RulesetSnapshot.Take(ns);
        var recorder = new RecordingDialer(Core.Linux.KernelDialer.Live);
        var (rules, changes) = SetRandomFully(recorder, ns.Name);
        Assert.NotEmpty(rules);
        Assert.All(changes, c => Assert.True(c.Outcome == SnatRuleOutcome.Changed, $"{c.Rule.Text}: {c.Outcome} {c.Error?.Message}"));
        var added = RulesetSnapshot.AssertOnlyRandomFullyAdded(before, RulesetSnapshot.Take(ns));
        string oracle = golden.Tool == "nft" ? "nft" : golden.Tool.Replace("-restore", "-save", StringComparison.Ordinal);
        Assert.Equal(rules.Count, added[oracle]);

        var conversation = recorder.Conversation;
        conversation.Header.AddRange([
            $"Set-SnatRule -RandomFully on {golden.Backend}: the whole conversation with a real kernel, recorded",
            $"from a real run on kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {DateTime.UtcNow:yyyy-MM-dd}.",
            "How: SetSnatRuleGoldenTests.Each_recording_still_matches_what_the_real_kernel_is_sent, run as root with",
            "SNATTOOLS_RECAPTURE=<this folder>. It creates a fresh network namespace, loads the ruleset below with",
            $"`{golden.Tool}`, then runs SnatRuleReader (Get-SnatRule) and SnatRuleWriter (Set-SnatRule's engine,",
            "-RandomFully on every rule read) through a RecordingDialer wrapped around the real kernel. Each",
            "'netlink request' is a datagram the module sent, followed by the datagrams the kernel queued for it;",
            "'xtables' lines are x_tables socket option calls (the SET_REPLACE blob with its counters pointer zeroed).",
            $"Afterwards `{oracle}` showed every rule unchanged except for the added random-fully flag ({added[oracle]} rules).",
            "Replayed without root by SetSnatRuleGoldenTests: sequence numbers may differ, every other byte must match.",
            "Ruleset:",
            .. golden.Ruleset.TrimEnd().Split('\n').Select(line => "  " + line.TrimEnd().Replace("\t", "    ", StringComparison.Ordinal)),
        ]);
        return conversation;
    }
}
