using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules.Oracle;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Rulesets as real controllers install them, loaded with the real tools in a namespace of the
/// test's own; every field must match what iptables-save / nft list print.
/// </summary>
public sealed class RealisticRulesetTests
{
    private static readonly HashSet<string> NoNativeTables = [];

    [SkippableFact]
    public void A_docker_host_without_random_fully_is_reported_with_docker_as_owner()
    {
        Root.Require();
        using var ns = new TestNamespace("docker");
        RealisticRulesets.Docker(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, NoNativeTables), rules);
        Assert.Equal(3, rules.Count);
        Assert.All(rules, r => Assert.Equal((SnatBackend.IptablesNft, false, true), (r.Backend, r.RandomFully, r.Reachable)));
        // The hairpin rule names neither a Docker chain nor a Docker bridge: no evidence, no guess.
        Assert.Equal([SnatOwner.Docker, SnatOwner.Docker, SnatOwner.Unknown], rules.Select(r => r.Owner));
        Assert.Equal(["docker0", "br-5a7e2c9d1f3b", null], rules.Select(r => r.OutInterface));
        // Docker's iptables rules carry no mark of Docker but the bridge: a guess, and marked as one.
        Assert.Equal(("out interface docker0 (weak: interface name only)", true), (rules[0].OwnerEvidence, rules[0].OwnerIsGuess));
        Assert.Equal((null, false), (rules[2].OwnerEvidence, rules[2].OwnerIsGuess));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Kube_proxy_iptables_mode_masquerade_is_found_behind_its_jump_chain(bool randomFully)
    {
        Root.Require();
        using var ns = new TestNamespace("kubeipt");
        RealisticRulesets.KubeProxyIptables(ns, randomFully);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, NoNativeTables), rules);
        var rule = Assert.Single(rules);
        Assert.Equal(("KUBE-POSTROUTING", 3, randomFully, SnatOwner.KubeProxy, true), (rule.Chain, rule.Position, rule.RandomFully, rule.Owner, rule.Reachable));
        Assert.Equal("kubernetes service traffic requiring SNAT", rule.Comment);
        Assert.Equal(rules.Select(r => r.Text), LiveRules.Read(ns, allChains: false).Select(r => r.Text));
    }

    [SkippableFact]
    public void Kube_proxy_nftables_mode_masquerade_is_found_in_its_own_table()
    {
        Root.Require();
        using var ns = new TestNamespace("kubenft");
        RealisticRulesets.KubeProxyNftables(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, new HashSet<string> { "kube-proxy" }), rules);
        var rule = Assert.Single(rules);
        Assert.Equal((SnatBackend.Nftables, "masquerading", "masquerade fully-random", true, SnatOwner.KubeProxy, true),
            (rule.Backend, rule.Chain, rule.Text, rule.RandomFully, rule.Owner, rule.Reachable));
        Assert.Equal("table ip kube-proxy", rule.OwnerEvidence);
    }

    [SkippableFact]
    public void Flannel_masquerade_rules_and_their_returns()
    {
        Root.Require();
        using var ns = new TestNamespace("flannel");
        RealisticRulesets.Flannel(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, NoNativeTables), rules);
        Assert.Equal([5, 6], rules.Select(r => r.Position));
        Assert.All(rules, r => Assert.Equal((SnatOwner.Flannel, true), (r.Owner, r.RandomFully)));
    }

    [SkippableFact]
    public void Calico_nat_outgoing_with_ipset_matches()
    {
        Root.Require();
        using var ns = new TestNamespace("calico");
        RealisticRulesets.Calico(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, NoNativeTables), rules);
        Assert.Equal(2, rules.Count);
        Assert.All(rules, r => Assert.Equal(SnatOwner.Calico, r.Owner));
        Assert.Contains(rules, r => r.Text.Contains("-m set ! --match-set cali40all-ipam-pools dst", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Explicit_snat_ranges_with_every_flag_and_counters_that_saw_traffic()
    {
        Root.Require();
        using var ns = new TestNamespace("ranges");
        RealisticRulesets.Ranges(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, NoNativeTables), rules);
        Assert.Equal(10, rules.Count);
        Assert.Equal(7ul, rules.Single(r => r.OutInterface == "lo").Packets);
        Assert.Contains(rules, r => r.Chain == "INPUT" && r.Reachable == true);
        Assert.Contains(rules, r => r.Family == SnatFamily.IPv6 && r.ToAddresses == "2001:db8::1-2001:db8::9" && r.ToPorts == "1000-2000");
    }

    [SkippableFact]
    public void Native_nftables_snat_and_masquerade_with_flags_port_ranges_sets_and_comments()
    {
        Root.Require();
        using var ns = new TestNamespace("natives");
        RealisticRulesets.Natives(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, new HashSet<string> { "natx", "v6nat" }), rules);
        Assert.Equal(10, rules.Count);
        Assert.All(rules, r => Assert.Equal((SnatBackend.Nftables, true), (r.Backend, r.Reachable)));
    }

    [SkippableFact]
    public void Iptables_legacy_rules_in_both_families_are_read_from_the_x_tables_blobs()
    {
        Root.Require();
        using var ns = new TestNamespace("legacy");
        RealisticRulesets.Legacy(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, NoNativeTables), rules);
        Assert.Equal(5, rules.Count);
        Assert.All(rules, r => Assert.Equal(SnatBackend.IptablesLegacy, r.Backend));
        Assert.Equal([true, true, true, false, true], rules.Select(r => r.Reachable));
        Assert.Equal(4, LiveRules.Read(ns, allChains: false).Count);
        Assert.All(rules.Where(r => r.Chain == "LIBVIRT_PRT"), r => Assert.Equal(SnatOwner.Libvirt, r.Owner));
        var locator = Assert.IsType<LegacyRuleLocator>(rules[0].Locator);
        Assert.Equal(("nat", "LIBVIRT_PRT", 3), (locator.Table, locator.Chain, locator.Position));
    }

    [SkippableFact]
    public void A_host_with_nat_rules_in_both_backends_gets_a_backend_mismatch_warning()
    {
        Root.Require();
        using var ns = new TestNamespace("mixed");
        RealisticRulesets.Mixed(ns);
        var warnings = new List<string>();

        var rules = LiveRules.Read(ns, warnings: warnings);

        SnatOracle.AssertSame(SnatOracle.Read(ns, NoNativeTables), rules);
        Assert.Equal([SnatBackend.IptablesNft, SnatBackend.IptablesLegacy], rules.Select(r => r.Backend));
        var warning = Assert.Single(warnings);
        Assert.StartsWith("BackendMismatch:", warning, StringComparison.Ordinal);
        Assert.Contains("table ip nat", warning, StringComparison.Ordinal);

        warnings.Clear();
        LiveRules.Read(ns, warnings: warnings, backend: SnatBackend.IptablesLegacy);
        Assert.Empty(warnings);
    }

    [SkippableFact]
    public void Reading_does_not_create_a_legacy_table()
    {
        Root.Require();
        using var ns = new TestNamespace("nolegacy");
        LiveRules.IptablesRestore(ns, "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n");

        Assert.Single(LiveRules.Read(ns));

        Assert.Equal(string.Empty, ns.Exec("cat", "/proc/net/ip_tables_names").Trim());
        Assert.Equal(string.Empty, ns.Exec("cat", "/proc/net/ip6_tables_names").Trim());
    }
}
