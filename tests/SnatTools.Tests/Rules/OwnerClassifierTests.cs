using SnatTools.Core.Rules;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Owner by the strongest evidence: the controller's own nftables table, then the chain, then the
/// ipsets the rule names, then the comment, and last (a guess, marked weak) the out interface.
/// </summary>
public sealed class OwnerClassifierTests
{
    private const SnatBackend Nft = SnatBackend.Nftables;
    private const SnatBackend Ipt = SnatBackend.IptablesNft;

    [Theory]
    [InlineData("ip", "docker-bridges", "nat-postrouting-out__br-dummy", "MASQUERADE", SnatOwner.Docker)]
    [InlineData("ip6", "docker-bridges", "nat-postrouting-in__docker0", "MASQ TO OWN PORT", SnatOwner.Docker)]
    [InlineData("ip", "kube-proxy", "masquerading", null, SnatOwner.KubeProxy)]
    [InlineData("inet", "incus", "pstrt.incusbr0", null, SnatOwner.Incus)]
    [InlineData("inet", "lxd", "pstrt.lxdbr0", null, SnatOwner.Lxd)]
    [InlineData("ip", "nm-shared-wlan0", "nat_postrouting", null, SnatOwner.NetworkManager)]
    [InlineData("inet", "kindnet-ipmasq", "postrouting", "masquerade traffic", SnatOwner.Kindnet)]
    [InlineData("ip", "lxc", "postrouting", null, SnatOwner.Lxc)]
    [InlineData("ip6", "flannel-ipv6", "postrtg", null, SnatOwner.Flannel)]
    [InlineData("ip", "calico", "nat-cali-nat-outgoing", "cali:JjuWIaIfSLZi41Xk;", SnatOwner.Calico)]
    [InlineData("inet", "firewalld", "nat_POST_public_allow", null, SnatOwner.Firewalld)]
    [InlineData("inet", "netavark", "nv_2f259bab_198_18_0_0_nm24", null, SnatOwner.Podman)]
    [InlineData("ip", "libvirt_network", "guest_nat", null, SnatOwner.Libvirt)]
    [InlineData("inet", "cni_plugins_masquerade", "masq_checks", null, SnatOwner.Cni)]
    public void A_native_rule_is_owned_by_the_controller_whose_table_it_is_in(string family, string table, string chain, string? comment, SnatOwner expected)
    {
        var match = OwnerClassifier.Classify(Nft, family, table, chain, comment, outInterface: null);

        Assert.Equal(new OwnerMatch(expected, $"table {family} {table}", false), match);
    }

    [Theory]
    [InlineData("AWS-SNAT-CHAIN-0", "AWS, SNAT", SnatOwner.AwsVpcCni)]
    [InlineData("IP-MASQ-AGENT", "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)", SnatOwner.IpMasqAgent)]
    [InlineData("IP-MASQ", null, SnatOwner.IpMasqAgent)]
    [InlineData("ts-postrouting", null, SnatOwner.Tailscale)]
    [InlineData("WEAVE", null, SnatOwner.Weave)]
    [InlineData("ANTREA-POSTROUTING", "Antrea: masquerade Pod to external packets", SnatOwner.Antrea)]
    [InlineData("KIND-MASQ-AGENT", "kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)", SnatOwner.Kindnet)]
    [InlineData("KUBE-ROUTER-HAIRPIN", null, SnatOwner.KubeRouter)]
    [InlineData("KUBE-POSTROUTING", "kubernetes service traffic requiring SNAT", SnatOwner.KubeProxy)]
    [InlineData("CNI-6d1c4b2a8e0f9d3c7b5a1e2f", "name: \"cbr0\" id: \"2f259bab\"", SnatOwner.Cni)]
    [InlineData("POST_public_allow", null, SnatOwner.Firewalld)]
    [InlineData("POST_policy_x_deny", null, SnatOwner.Firewalld)]
    public void An_iptables_rule_is_owned_by_the_controller_whose_chain_it_is_in(string chain, string? comment, SnatOwner expected)
    {
        var match = OwnerClassifier.Classify(Ipt, "ip", "nat", chain, comment, outInterface: "eth0");

        Assert.Equal(new OwnerMatch(expected, $"chain {chain}", false), match);
    }

    [Theory]
    [InlineData("CNI-E4-6d1c4b2a8e0f9d3c7b5a1e2f")]
    [InlineData("CNI-E6-6d1c4b2a8e0f9d3c7b5a1e2f")]
    public void An_aws_egress_chain_is_the_vpc_cni_not_the_generic_cni_plugins(string chain)
    {
        const string comment = "name: \"aws-cni\" id: \"2f259bab\"";

        var match = OwnerClassifier.Classify(Ipt, "ip6", "nat", chain, comment, outInterface: null);

        Assert.Equal(SnatOwner.AwsVpcCni, match.Owner);
        Assert.Equal($"chain {chain} with comment \"{comment}\"", match.Evidence);
        Assert.Equal(SnatOwner.Cni, OwnerClassifier.Classify(Ipt, "ip6", "nat", chain, "name: \"cbr0\" id: \"2f259bab\"", null).Owner);
    }

    [Theory]
    [InlineData("nm-shared-wlan0", SnatOwner.NetworkManager)]
    [InlineData("generated for LXD network lxdbr0", SnatOwner.Lxd)]
    [InlineData("generated for Incus network incusbr0", SnatOwner.Incus)]
    [InlineData("ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)", SnatOwner.IpMasqAgent)]
    [InlineData("Antrea: AWS, primary ENI", SnatOwner.Antrea)]
    [InlineData("AWS, SNAT", SnatOwner.AwsVpcCni)]
    [InlineData("flanneld masq", SnatOwner.Flannel)]
    public void In_a_plain_postrouting_chain_the_comment_decides(string comment, SnatOwner expected)
    {
        var match = OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", comment, outInterface: "docker0");

        Assert.Equal(new OwnerMatch(expected, $"comment \"{comment}\"", false), match);
    }

    [Theory]
    [InlineData("kube-router-pod-subnets")]
    [InlineData("inet6:kube-router-pod-subnets")]
    public void Kube_router_is_known_by_the_ipsets_its_plain_masquerade_names(string set)
    {
        var match = OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", comment: null, outInterface: null, sets: [set, "kube-router-node-ips"]);

        Assert.Equal(new OwnerMatch(SnatOwner.KubeRouter, $"ipset {set}", false), match);
        Assert.Equal(SnatOwner.Unknown, OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", null, null, ["my-pods"]).Owner);
    }

    [Fact]
    public void Docker_comments_are_evidence_only_in_dockers_table()
    {
        Assert.Equal(SnatOwner.Docker, OwnerClassifier.Classify(Nft, "ip", "docker-bridges", "nat-postrouting-out__br-x", "MASQUERADE", null).Owner);
        Assert.Equal(OwnerMatch.None, OwnerClassifier.Classify(Nft, "ip", "nat", "postrouting", "MASQUERADE", null));
        Assert.Equal(OwnerMatch.None, OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", "MASQ TO OWN PORT", null));
    }

    [Fact]
    public void Stronger_evidence_wins_table_over_chain_over_ipset_over_comment_over_interface()
    {
        // A Calico-named chain in Docker's table: the table decides.
        Assert.Equal(SnatOwner.Docker, OwnerClassifier.Classify(Nft, "ip", "docker-bridges", "nat-cali-x", "cali:abc", "virbr0").Owner);
        // A kube-proxy chain with a flannel comment and a Docker bridge: the chain decides.
        Assert.Equal(new OwnerMatch(SnatOwner.KubeProxy, "chain KUBE-POSTROUTING", false),
            OwnerClassifier.Classify(Ipt, "ip", "nat", "KUBE-POSTROUTING", "flanneld masq", "docker0", ["kube-router-pod-subnets"]));
        // A kube-router ipset beats a comment.
        Assert.Equal(SnatOwner.KubeRouter, OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", "flanneld masq", "docker0", ["kube-router-pod-subnets"]).Owner);
        // A comment beats a bridge name.
        Assert.Equal(SnatOwner.Flannel, OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", "flanneld masq", "docker0").Owner);
    }

    [Theory]
    [InlineData("docker0", SnatOwner.Docker)]
    [InlineData("br-5a7e2c9d1f3b", SnatOwner.Docker)]
    [InlineData("virbr0", SnatOwner.Libvirt)]
    [InlineData("lxcbr0", SnatOwner.Lxc)]
    [InlineData("lxdbr0", SnatOwner.Lxd)]
    [InlineData("incusbr0", SnatOwner.Incus)]
    [InlineData("antrea-gw0", SnatOwner.Antrea)]
    [InlineData("kube-bridge", SnatOwner.KubeRouter)]
    public void An_interface_name_alone_is_only_a_guess_and_says_so(string outInterface, SnatOwner expected)
    {
        var match = OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", comment: null, outInterface);

        Assert.Equal(new OwnerMatch(expected, $"out interface {outInterface} (weak: interface name only)", true), match);
    }

    [Fact]
    public void A_rule_with_no_mark_of_any_controller_is_unknown()
    {
        // lxc-net's iptables rule: -A POSTROUTING -s 10.0.3.0/24 ! -d 10.0.3.0/24 -j MASQUERADE.
        Assert.Equal(OwnerMatch.None, OwnerClassifier.Classify(SnatBackend.IptablesLegacy, "ip", "nat", "POSTROUTING", null, null));
        Assert.Equal(OwnerMatch.None, OwnerClassifier.Classify(Nft, "ip", "nat", "postrouting", null, "eth0"));
        Assert.Equal(OwnerMatch.None, OwnerClassifier.Classify(Ipt, "ip", "nat", "POSTROUTING", "MASQUERADE", "wan0", ["pods"]));
        // Only firewalld's own chain parts make a POST_ chain firewalld's.
        Assert.Equal(OwnerMatch.None, OwnerClassifier.Classify(Ipt, "ip", "nat", "POST_nat", null, null));
        Assert.Equal(OwnerMatch.None, OwnerClassifier.Classify(Ipt, "ip", "nat", "POST_public_masq", null, null));
    }

    [Fact]
    public void Every_owner_has_advice_and_unknown_says_nobody_is_known()
    {
        foreach (var owner in Enum.GetValues<SnatOwner>())
        {
            string advice = OwnerAdvice.For(owner);
            Assert.False(string.IsNullOrWhiteSpace(advice), owner.ToString());
            Assert.DoesNotContain("No advice is known", advice, StringComparison.Ordinal);
            // Either it names the setting or says plainly there is none / it writes the flag itself.
            Assert.True(
                OwnerAdvice.HasSetting(owner)
                    ? advice.Contains("setting is", StringComparison.Ordinal) || advice.Contains("by itself", StringComparison.Ordinal)
                    : advice.Contains("no setting", StringComparison.Ordinal) || advice.Contains("no network option", StringComparison.Ordinal)
                      || advice.Contains("nobody known has a setting", StringComparison.Ordinal),
                $"{owner}: {advice}");
        }

        Assert.StartsWith("No controller is known to own this rule", OwnerAdvice.For(SnatOwner.Unknown), StringComparison.Ordinal);
        Assert.Contains("AWS_VPC_K8S_CNI_RANDOMIZESNAT", OwnerAdvice.For(SnatOwner.AwsVpcCni), StringComparison.Ordinal);
        Assert.Contains("--iptables-random-fully", OwnerAdvice.For(SnatOwner.Cilium), StringComparison.Ordinal);
        Assert.Contains("FeatureDetectOverride", OwnerAdvice.For(SnatOwner.Calico), StringComparison.Ordinal);
    }

    [Fact]
    public void Controllers_without_a_setting_are_the_ones_a_guard_may_keep_fixed()
    {
        SnatOwner[] none =
        [
            SnatOwner.Unknown, SnatOwner.Docker, SnatOwner.Libvirt, SnatOwner.Podman, SnatOwner.Firewalld, SnatOwner.Cni, SnatOwner.Tailscale,
            SnatOwner.Incus, SnatOwner.Lxd, SnatOwner.NetworkManager, SnatOwner.Weave, SnatOwner.Kindnet, SnatOwner.Lxc,
        ];

        Assert.Equal(none, Enum.GetValues<SnatOwner>().Where(o => !OwnerAdvice.HasSetting(o)));
    }
}
