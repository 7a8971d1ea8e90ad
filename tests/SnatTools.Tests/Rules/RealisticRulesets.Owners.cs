using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>
/// What a ruleset's rules must be owned by: per chain, the owner and the evidence, in which "{family}" stands for
/// the rule's ip/ip6/inet, "{v}" for 4/6 and "{inet6}" for ip6's ipset prefix "inet6:" (empty for ip).
/// </summary>
internal sealed record OwnerExpectation(int Rules, IReadOnlyDictionary<string, (SnatOwner Owner, string Evidence)> ByChain);

/// <summary>
/// One ruleset per controller that writes NAT rules, in the format that controller writes today,
/// written from its source (cited on each) with our addresses (198.18.0.0/15, 2001:db8::/32).
/// iptables controllers are loaded through both backends (iptables-nft-restore and
/// iptables-legacy-restore, each family in one restore); nftables controllers with one nft -f.
/// </summary>
internal static partial class RealisticRulesets
{
    private static readonly string[] IptablesBackends = ["nft", "legacy"];

    /// <summary>The controllers' rulesets with the native tables the nft oracle must read and the owners they must get.</summary>
    public static IEnumerable<(string Name, Action<TestNamespace> Load, IReadOnlySet<string> NativeTables, OwnerExpectation Expected)> Owners()
    {
        yield return (nameof(DockerNftables), DockerNftables, Tables("docker-bridges"), Expect(5,
            ("nat-postrouting-in__docker0", SnatOwner.Docker, "table {family} docker-bridges"),
            ("nat-postrouting-out__docker0", SnatOwner.Docker, "table {family} docker-bridges"),
            ("nat-postrouting-out__br-5a7e2c9d1f3b", SnatOwner.Docker, "table {family} docker-bridges")));
        yield return (nameof(IpMasqAgent), IpMasqAgent, Tables(), Expect(4,
            ("IP-MASQ-AGENT", SnatOwner.IpMasqAgent, "chain IP-MASQ-AGENT"),
            ("IP-MASQ", SnatOwner.IpMasqAgent, "chain IP-MASQ")));
        yield return (nameof(AwsVpcCni), AwsVpcCni, Tables(), Expect(6,
            ("AWS-SNAT-CHAIN-0", SnatOwner.AwsVpcCni, "chain AWS-SNAT-CHAIN-0"),
            (AwsEgress4, SnatOwner.AwsVpcCni, $"chain {AwsEgress4} with comment \"{AwsComment}\""),
            (AwsEgress6, SnatOwner.AwsVpcCni, $"chain {AwsEgress6} with comment \"{AwsComment}\"")));
        yield return (nameof(TailscaleIptables), TailscaleIptables, Tables(), Expect(4,
            ("ts-postrouting", SnatOwner.Tailscale, "chain ts-postrouting")));
        yield return (nameof(TailscaleNftables), TailscaleNftables, Tables("nat"), Expect(2,
            ("ts-postrouting", SnatOwner.Tailscale, "chain ts-postrouting")));
        yield return (nameof(Incus), Incus, Tables("incus"), Expect(2,
            ("pstrt.incusbr0", SnatOwner.Incus, "table inet incus")));
        yield return (nameof(Lxd), Lxd, Tables("lxd"), Expect(6,
            ("pstrt.lxdbr0", SnatOwner.Lxd, "table inet lxd"),
            ("POSTROUTING", SnatOwner.Lxd, "comment \"generated for LXD network lxdbr1\"")));
        yield return (nameof(NetworkManager), NetworkManager, Tables("nm-shared-wlan0"), Expect(3,
            ("nat_postrouting", SnatOwner.NetworkManager, "table ip nm-shared-wlan0"),
            ("POSTROUTING", SnatOwner.NetworkManager, "comment \"nm-shared-eth1\"")));
        yield return (nameof(Weave), Weave, Tables(), Expect(4,
            ("WEAVE", SnatOwner.Weave, "chain WEAVE")));
        yield return (nameof(Antrea), Antrea, Tables(), Expect(6,
            ("ANTREA-POSTROUTING", SnatOwner.Antrea, "chain ANTREA-POSTROUTING")));
        yield return (nameof(KubeRouter), KubeRouter, Tables(), Expect(4,
            ("POSTROUTING", SnatOwner.KubeRouter, "ipset {inet6}kube-router-pod-subnets")));
        yield return (nameof(Kindnet), Kindnet, Tables("kindnet-ipmasq"), Expect(5,
            ("KIND-MASQ-AGENT", SnatOwner.Kindnet, "chain KIND-MASQ-AGENT"),
            ("postrouting", SnatOwner.Kindnet, "table inet kindnet-ipmasq")));
        yield return (nameof(Lxc), Lxc, Tables("lxc"), Expect(6,
            ("POSTROUTING", SnatOwner.Unknown, string.Empty),
            ("postrouting", SnatOwner.Lxc, "table {family} lxc")));
        yield return (nameof(FlannelNftables), FlannelNftables, Tables("flannel-ipv4", "flannel-ipv6"), Expect(4,
            ("postrtg", SnatOwner.Flannel, "table {family} flannel-ipv{v}")));
        yield return (nameof(CalicoNftables), CalicoNftables, Tables("calico"), Expect(2,
            ("nat-cali-POSTROUTING", SnatOwner.Calico, "table ip calico"),
            ("nat-cali-nat-outgoing", SnatOwner.Calico, "table ip calico")));
        yield return (nameof(FirewalldNftables), FirewalldNftables, Tables("firewalld"), Expect(2,
            ("nat_POST_public_allow", SnatOwner.Firewalld, "table inet firewalld")));
        yield return (nameof(FirewalldIptables), FirewalldIptables, Tables(), Expect(4,
            ("POST_public_allow", SnatOwner.Firewalld, "chain POST_public_allow")));
        yield return (nameof(NetavarkNftables), NetavarkNftables, Tables("netavark"), Expect(3,
            ("POSTROUTING", SnatOwner.Podman, "table inet netavark"),
            ("nv_2f259bab_198_18_90_0_nm24", SnatOwner.Podman, "table inet netavark"),
            ("nv_2f259bab_2001-db8-90--_nm64", SnatOwner.Podman, "table inet netavark")));
        yield return (nameof(Cilium), Cilium, Tables(), Expect(8,
            ("CILIUM_POST_nat", SnatOwner.Cilium, "chain CILIUM_POST_nat")));
        yield return (nameof(CniBridge), CniBridge, Tables("cni_plugins_masquerade"), Expect(5,
            (CniChain, SnatOwner.Cni, $"chain {CniChain}"),
            ("masq_checks", SnatOwner.Cni, "table inet cni_plugins_masquerade")));
        yield return (nameof(LibvirtNftables), LibvirtNftables, Tables("libvirt_network"), Expect(4,
            ("guest_nat", SnatOwner.Libvirt, "table {family} libvirt_network")));
    }

    private const string AwsEgress4 = "CNI-E4-5f3d1a9c7b2e4d6f8";
    private const string AwsEgress6 = "CNI-E6-5f3d1a9c7b2e4d6f8";
    private const string AwsComment = "name: \"aws-cni\" id: \"7c4f0e2b9a61\"";
    // The comments as iptables-save quotes them (inner quotes escaped).
    private const string AwsCommentSaved = "name: \\\"aws-cni\\\" id: \\\"7c4f0e2b9a61\\\"";
    private const string CniChain = "CNI-3f9c2a7d1e5b8c4f6a0d2e1b";
    private const string CniCommentSaved = "name: \\\"cbr0\\\" id: \\\"3c5d8e0f1a2b\\\"";

    private static HashSet<string> Tables(params string[] names) => [.. names];

    private static OwnerExpectation Expect(int rules, params (string Chain, SnatOwner Owner, string Evidence)[] chains) =>
        new(rules, chains.ToDictionary(c => c.Chain, c => (c.Owner, c.Evidence)));

    /// <summary>The same iptables-save text through iptables-nft-restore and iptables-legacy-restore (ip6tables-* for IPv6).</summary>
    private static void IptablesBoth(TestNamespace ns, string? ipv4, string? ipv6)
    {
        foreach (var backend in IptablesBackends)
        {
            if (ipv4 is not null)
            {
                LiveRules.IptablesRestore(ns, ipv4, $"iptables-{backend}-restore");
            }

            if (ipv6 is not null)
            {
                LiveRules.IptablesRestore(ns, ipv6, $"ip6tables-{backend}-restore");
            }
        }
    }

    /// <summary>
    /// Docker 29's nftables firewall backend: tables ip/ip6 docker-bridges, POSTROUTING through
    /// `iifname vmap @nat-postrouting-out-jumps` / `oifname vmap @nat-postrouting-in-jumps`.
    /// moby/moby daemon/libnetwork/drivers/bridge/internal/nftabler/network.go (comments "MASQUERADE",
    /// "SNAT", "... FROM HOST"), port.go ("MASQ TO OWN PORT"), testdata/TestNftabler/*.golden.
    /// </summary>
    public static void DockerNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table ip docker-bridges {
            	chain nat-postrouting-in__docker0 {
            		fib saddr type local counter masquerade comment "MASQUERADE FROM HOST"
            		ip saddr 198.18.0.2 ip daddr 198.18.0.2 tcp dport 80 counter masquerade comment "MASQ TO OWN PORT"
            	}
            	chain nat-postrouting-out__docker0 {
            		oifname != "docker0" ip saddr 198.18.0.0/24 counter masquerade comment "MASQUERADE"
            	}
            	chain nat-postrouting-in__br-5a7e2c9d1f3b {
            	}
            	chain nat-postrouting-out__br-5a7e2c9d1f3b {
            		oifname != "br-5a7e2c9d1f3b" ip saddr 198.18.1.0/24 counter snat to 198.19.0.1 comment "SNAT"
            	}
            	map nat-postrouting-in-jumps {
            		type ifname : verdict
            		elements = { "docker0" : jump nat-postrouting-in__docker0, "br-5a7e2c9d1f3b" : jump nat-postrouting-in__br-5a7e2c9d1f3b }
            	}
            	map nat-postrouting-out-jumps {
            		type ifname : verdict
            		elements = { "docker0" : jump nat-postrouting-out__docker0, "br-5a7e2c9d1f3b" : jump nat-postrouting-out__br-5a7e2c9d1f3b }
            	}
            	chain nat-POSTROUTING {
            		type nat hook postrouting priority srcnat; policy accept;
            		iifname vmap @nat-postrouting-out-jumps
            		oifname vmap @nat-postrouting-in-jumps
            	}
            }
            table ip6 docker-bridges {
            	chain nat-postrouting-in__docker0 {
            	}
            	chain nat-postrouting-out__docker0 {
            		oifname != "docker0" ip6 saddr 2001:db8:d0c::/64 counter masquerade comment "MASQUERADE"
            	}
            	map nat-postrouting-in-jumps {
            		type ifname : verdict
            		elements = { "docker0" : jump nat-postrouting-in__docker0 }
            	}
            	map nat-postrouting-out-jumps {
            		type ifname : verdict
            		elements = { "docker0" : jump nat-postrouting-out__docker0 }
            	}
            	chain nat-POSTROUTING {
            		type nat hook postrouting priority srcnat; policy accept;
            		iifname vmap @nat-postrouting-out-jumps
            		oifname vmap @nat-postrouting-in-jumps
            	}
            }

            """);

    /// <summary>
    /// ip-masq-agent (kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go): its chain behind a
    /// non-LOCAL jump, RETURNs for the no-masquerade ranges, MASQUERADE last. IPv4 as an agent older than
    /// v2.10 writes it (no --random-fully); IPv6 under GKE's chain name IP-MASQ (--masq-chain) with it.
    /// </summary>
    public static void IpMasqAgent(TestNamespace ns)
    {
        const string jump = "ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom {0} chain";
        const string local = "ip-masq-agent: local traffic is not subject to MASQUERADE";
        const string masq = "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)";
        IptablesBoth(
            ns,
            $"""
            *nat
            :POSTROUTING ACCEPT [0:0]
            :IP-MASQ-AGENT - [0:0]
            -A POSTROUTING -m comment --comment "{string.Format(null, jump, "IP-MASQ-AGENT")}" -m addrtype ! --dst-type LOCAL -j IP-MASQ-AGENT
            -A IP-MASQ-AGENT -d 198.18.0.0/16 -m comment --comment "{local}" -j RETURN
            -A IP-MASQ-AGENT -m comment --comment "{masq}" -j MASQUERADE
            COMMIT

            """,
            $"""
            *nat
            :POSTROUTING ACCEPT [0:0]
            :IP-MASQ - [0:0]
            -A POSTROUTING -m comment --comment "{string.Format(null, jump, "IP-MASQ")}" -m addrtype ! --dst-type LOCAL -j IP-MASQ
            -A IP-MASQ -d 2001:db8:1::/64 -m comment --comment "{local}" -j RETURN
            -A IP-MASQ -m comment --comment "{masq}" -j MASQUERADE --random-fully
            COMMIT

            """);
    }

    /// <summary>
    /// AWS VPC CNI: AWS-SNAT-CHAIN-0 (aws/amazon-vpc-cni-k8s pkg/networkutils/network.go, with
    /// AWS_VPC_K8S_CNI_RANDOMIZESNAT=hashrandom: --random) and the egress plugin's CNI-E4-/CNI-E6- chains
    /// (cmd/egress-cni-plugin/snat/snat.go, comment from FormatComment("aws-cni", container id)).
    /// </summary>
    public static void AwsVpcCni(TestNamespace ns) => IptablesBoth(
        ns,
        $"""
        *nat
        :POSTROUTING ACCEPT [0:0]
        :AWS-SNAT-CHAIN-0 - [0:0]
        :{AwsEgress4} - [0:0]
        -A POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0
        -A POSTROUTING -s 198.19.5.2/32 -m comment --comment "{AwsCommentSaved}" -j {AwsEgress4}
        -A AWS-SNAT-CHAIN-0 -d 198.18.0.0/16 -m comment --comment "AWS SNAT CHAIN" -j RETURN
        -A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 198.18.0.10 --random
        -A {AwsEgress4} -d 224.0.0.0/4 -m comment --comment "{AwsCommentSaved}" -j ACCEPT
        -A {AwsEgress4} -m comment --comment "{AwsCommentSaved}" -j SNAT --to-source 198.18.0.10 --random-fully
        COMMIT

        """,
        $"""
        *nat
        :POSTROUTING ACCEPT [0:0]
        :{AwsEgress6} - [0:0]
        -A POSTROUTING -s 2001:db8:5::2/128 -m comment --comment "{AwsCommentSaved}" -j {AwsEgress6}
        -A {AwsEgress6} -d ff00::/8 -m comment --comment "{AwsCommentSaved}" -j ACCEPT
        -A {AwsEgress6} -m comment --comment "{AwsCommentSaved}" -j SNAT --to-source 2001:db8::10
        COMMIT

        """);

    /// <summary>Tailscale in iptables mode (tailscale/tailscale util/linuxfw/iptables_runner.go AddSNATRule, tsconst/linuxfw.go marks).</summary>
    public static void TailscaleIptables(TestNamespace ns)
    {
        const string rules = """
            *nat
            :POSTROUTING ACCEPT [0:0]
            :ts-postrouting - [0:0]
            -A POSTROUTING -j ts-postrouting
            -A ts-postrouting -m mark --mark 0x40000/0xff0000 -j MASQUERADE
            COMMIT

            """;
        IptablesBoth(ns, rules, rules);
    }

    /// <summary>
    /// Tailscale in nftables mode (util/linuxfw/nftables_runner.go: table nat of each family, chain
    /// ts-postrouting, createMatchSubnetRouteMarkRule: meta mark &amp; 0xff0000 == 0x40000 masq).
    /// </summary>
    public static void TailscaleNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table ip nat {
            	chain ts-postrouting {
            		meta mark & 0x00ff0000 == 0x00040000 counter masquerade
            	}
            	chain POSTROUTING {
            		type nat hook postrouting priority srcnat; policy accept;
            		counter jump ts-postrouting
            	}
            }
            table ip6 nat {
            	chain ts-postrouting {
            		meta mark & 0x00ff0000 == 0x00040000 counter masquerade
            	}
            	chain POSTROUTING {
            		type nat hook postrouting priority srcnat; policy accept;
            		counter jump ts-postrouting
            	}
            }

            """);

    /// <summary>Incus (lxc/incus internal/server/firewall/drivers/drivers_nftables_templates.go nftablesNetOutboundNAT).</summary>
    public static void Incus(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table inet incus {
            	set bridges {
            		type ifname
            		elements = { "incusbr0" }
            	}
            	chain pstrt.incusbr0 {
            		type nat hook postrouting priority 100; policy accept;
            		ip saddr 198.18.10.0/24 oifname @bridges accept
            		ip saddr 198.18.10.0/24 ip daddr != 198.18.10.0/24 masquerade
            		ip6 saddr 2001:db8:10::/64 oifname @bridges accept
            		ip6 saddr 2001:db8:10::/64 ip6 daddr != 2001:db8:10::/64 masquerade
            	}
            }

            """);

    /// <summary>
    /// LXD: the nftables driver (canonical/lxd lxd/firewall/drivers/drivers_nftables_templates.go) for lxdbr0
    /// and the xtables driver (drivers_xtables.go networkSetupOutboundNAT, comment "generated for LXD network ...") for lxdbr1.
    /// </summary>
    public static void Lxd(TestNamespace ns)
    {
        LiveRules.NftLoad(ns, """
            table inet lxd {
            	chain pstrt.lxdbr0 {
            		type nat hook postrouting priority 100; policy accept;
            		ip saddr 198.18.20.0/24 ip daddr != 198.18.20.0/24 oifname != "lxdbr0" masquerade
            		ip6 saddr 2001:db8:20::/64 ip6 daddr != 2001:db8:20::/64 oifname != "lxdbr0" masquerade
            	}
            }

            """);
        IptablesBoth(
            ns,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 198.18.21.0/24 ! -d 198.18.21.0/24 ! -o lxdbr1 -m comment --comment "generated for LXD network lxdbr1" -j MASQUERADE
            COMMIT

            """,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 2001:db8:21::/64 ! -d 2001:db8:21::/64 ! -o lxdbr1 -m comment --comment "generated for LXD network lxdbr1" -j MASQUERADE
            COMMIT

            """);
    }

    /// <summary>
    /// NetworkManager shared connections (NetworkManager/NetworkManager src/core/nm-firewall-utils.c):
    /// the nftables form (_fw_nft_set_shared_construct) for wlan0 and the iptables form
    /// (_share_iptables_set_masquerade_sync) for eth1. IPv4 only: sharing is an ipv4.method.
    /// </summary>
    public static void NetworkManager(TestNamespace ns)
    {
        LiveRules.NftLoad(ns, """
            table ip nm-shared-wlan0 {
            	chain nat_postrouting {
            		type nat hook postrouting priority 100; policy accept;
            		ip saddr 198.18.30.0/24 ip daddr != 198.18.30.0/24 masquerade
            	}
            }

            """);
        IptablesBoth(
            ns,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 198.18.31.0/24 ! -d 198.18.31.0/24 -m comment --comment nm-shared-eth1 -j MASQUERADE
            COMMIT

            """,
            null);
    }

    /// <summary>Weave Net (weaveworks/weave net/bridge.go: POSTROUTING -j WEAVE; net/expose.go exposeNAT). IPv4 only.</summary>
    public static void Weave(TestNamespace ns) => IptablesBoth(
        ns,
        """
        *nat
        :POSTROUTING ACCEPT [0:0]
        :WEAVE - [0:0]
        -A POSTROUTING -j WEAVE
        -A WEAVE -s 198.18.40.0/22 -d 224.0.0.0/4 -j RETURN
        -A WEAVE ! -s 198.18.40.0/22 -d 198.18.40.0/22 -j MASQUERADE
        -A WEAVE -s 198.18.40.0/22 ! -d 198.18.40.0/22 -j MASQUERADE
        COMMIT

        """,
        null);

    /// <summary>
    /// Antrea (antrea-io/antrea pkg/agent/route/route_linux.go): ANTREA-POSTROUTING with the Pod masquerade
    /// (ipset ANTREA-POD-IP / ANTREA-POD-IP6) and an Egress SNAT by mark; snatFullyRandomPorts off.
    /// </summary>
    public static void Antrea(TestNamespace ns)
    {
        ns.Exec("ipset", "create", "ANTREA-POD-IP", "hash:net");
        ns.Exec("ipset", "create", "ANTREA-POD-IP6", "hash:net", "family", "inet6");
        IptablesBoth(
            ns,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            :ANTREA-POSTROUTING - [0:0]
            -A POSTROUTING -m comment --comment "Antrea: jump to Antrea postrouting rules" -j ANTREA-POSTROUTING
            -A ANTREA-POSTROUTING ! -o antrea-gw0 -m comment --comment "Antrea: SNAT Pod to external packets" -m mark --mark 0x1/0xff -j SNAT --to-source 198.19.50.1
            -A ANTREA-POSTROUTING -s 198.18.50.0/24 ! -o antrea-gw0 -m comment --comment "Antrea: masquerade Pod to external packets" -m set ! --match-set ANTREA-POD-IP dst -j MASQUERADE
            COMMIT

            """,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            :ANTREA-POSTROUTING - [0:0]
            -A POSTROUTING -m comment --comment "Antrea: jump to Antrea postrouting rules" -j ANTREA-POSTROUTING
            -A ANTREA-POSTROUTING -s 2001:db8:50::/64 ! -o antrea-gw0 -m comment --comment "Antrea: masquerade Pod to external packets" -m set ! --match-set ANTREA-POD-IP6 dst -j MASQUERADE
            COMMIT

            """);
    }

    /// <summary>
    /// kube-router's pod egress masquerade (cloudnativelabs/kube-router pkg/controllers/routing/pod_egress.go):
    /// a plain POSTROUTING rule whose only mark is its ipsets (IPv6 ones prefixed "inet6:").
    /// </summary>
    public static void KubeRouter(TestNamespace ns)
    {
        ns.Exec("ipset", "create", "kube-router-pod-subnets", "hash:net");
        ns.Exec("ipset", "create", "kube-router-node-ips", "hash:ip");
        ns.Exec("ipset", "create", "inet6:kube-router-pod-subnets", "hash:net", "family", "inet6");
        ns.Exec("ipset", "create", "inet6:kube-router-node-ips", "hash:ip", "family", "inet6");
        IptablesBoth(
            ns,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -m set --match-set kube-router-pod-subnets src -m set ! --match-set kube-router-pod-subnets dst -m set ! --match-set kube-router-node-ips dst -j MASQUERADE
            COMMIT

            """,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -m set --match-set inet6:kube-router-pod-subnets src -m set ! --match-set inet6:kube-router-pod-subnets dst -m set ! --match-set inet6:kube-router-node-ips dst -j MASQUERADE --random-fully
            COMMIT

            """);
    }

    /// <summary>
    /// kindnet: the iptables agent of kind (kubernetes-sigs/kind images/kindnetd/cmd/kindnetd/masq.go, IPv4)
    /// and the nftables one of kindnet (aojea/kindnet pkg/masq/masq.go: table inet kindnet-ipmasq).
    /// </summary>
    public static void Kindnet(TestNamespace ns)
    {
        LiveRules.NftLoad(ns, """
            table inet kindnet-ipmasq {
            	set noMasqV4 {
            		type ipv4_addr
            		flags interval
            		elements = { 198.18.60.0/24 }
            	}
            	set noMasqV6 {
            		type ipv6_addr
            		flags interval
            		elements = { 2001:db8:60::/64 }
            	}
            	chain postrouting {
            		type nat hook postrouting priority srcnat - 10; policy accept;
            		ct state established,related accept
            		fib daddr type local accept
            		ip daddr @noMasqV4 accept
            		ip6 daddr @noMasqV6 accept
            		masquerade
            	}
            }

            """);
        const string jump = "kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain";
        const string local = "kind-masq-agent: local traffic is not subject to MASQUERADE";
        const string masq = "kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)";
        IptablesBoth(
            ns,
            $"""
            *nat
            :POSTROUTING ACCEPT [0:0]
            :KIND-MASQ-AGENT - [0:0]
            -A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment "{jump}" -j KIND-MASQ-AGENT
            -A KIND-MASQ-AGENT -d 198.18.61.0/24 -m comment --comment "{local}" -j RETURN
            -A KIND-MASQ-AGENT -m comment --comment "{masq}" -j MASQUERADE
            COMMIT

            """,
            $"""
            *nat
            :POSTROUTING ACCEPT [0:0]
            :KIND-MASQ-AGENT - [0:0]
            -A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment "{jump}" -j KIND-MASQ-AGENT
            -A KIND-MASQ-AGENT -d 2001:db8:61::/64 -m comment --comment "{local}" -j RETURN
            -A KIND-MASQ-AGENT -m comment --comment "{masq}" -j MASQUERADE
            COMMIT

            """);
    }

    /// <summary>
    /// lxc-net (lxc/lxc config/init/common/lxc-net.in): with nft, tables ip/ip6 lxc; with iptables, a bare
    /// POSTROUTING MASQUERADE that carries no mark of lxc-net at all and so must stay Unknown.
    /// </summary>
    public static void Lxc(TestNamespace ns)
    {
        LiveRules.NftLoad(ns, """
            table ip lxc {
            	chain postrouting {
            		type nat hook postrouting priority 100; policy accept;
            		ip saddr 198.18.70.0/24 ip daddr != 198.18.70.0/24 counter masquerade
            	}
            }
            table ip6 lxc {
            	chain postrouting {
            		type nat hook postrouting priority 100; policy accept;
            		ip6 saddr 2001:db8:70::/64 ip6 daddr != 2001:db8:70::/64 counter masquerade
            	}
            }

            """);
        IptablesBoth(
            ns,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 198.18.71.0/24 ! -d 198.18.71.0/24 -j MASQUERADE
            COMMIT

            """,
            """
            *nat
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 2001:db8:71::/64 ! -d 2001:db8:71::/64 -j MASQUERADE
            COMMIT

            """);
    }

    /// <summary>
    /// flannel's nftables mode (flannel-io/flannel pkg/trafficmngr/nftables/nftables.go addMasqRules): IPv4
    /// fully-random, IPv6 as --ip-masq-fully-random-disable leaves it.
    /// </summary>
    public static void FlannelNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table ip flannel-ipv4 {
            	chain postrtg {
            		type nat hook postrouting priority srcnat; policy accept;
            		meta mark 0x00004000 return
            		ip saddr 198.18.81.0/24 ip daddr 198.18.0.0/16 return
            		ip saddr 198.18.0.0/16 ip daddr 198.18.81.0/24 return
            		ip saddr != 198.18.81.0/24 ip daddr 198.18.0.0/16 return
            		ip saddr 198.18.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random
            		ip saddr != 198.18.0.0/16 ip daddr 198.18.0.0/16 masquerade fully-random
            	}
            }
            table ip6 flannel-ipv6 {
            	chain postrtg {
            		type nat hook postrouting priority srcnat; policy accept;
            		meta mark 0x00004000 return
            		ip6 saddr 2001:db8:81::/64 ip6 daddr 2001:db8:80::/48 return
            		ip6 saddr 2001:db8:80::/48 ip6 daddr != ff00::/8 masquerade
            		ip6 saddr != 2001:db8:80::/48 ip6 daddr 2001:db8:80::/48 masquerade
            	}
            }

            """);

    /// <summary>
    /// Calico's nftables dataplane (projectcalico/calico felix/nftables, felix/fv/cali-nftables-dump.txt):
    /// table ip calico, chains nat-cali-*; one rule as FeatureDetectOverride MASQFullyRandom=false leaves it.
    /// </summary>
    public static void CalicoNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table ip calico {
            	set cali40masq-ipam-pools {
            		type ipv4_addr
            		flags interval
            		elements = { 198.18.0.0/16 }
            	}
            	set cali40all-ipam-pools {
            		type ipv4_addr
            		flags interval
            		elements = { 198.18.0.0/16 }
            	}
            	chain nat-cali-nat-outgoing {
            		ip saddr @cali40masq-ipam-pools ip daddr != @cali40all-ipam-pools counter masquerade fully-random comment "cali:JjuWIaIfSLZi41Xk;"
            	}
            	chain nat-cali-fip-snat {
            	}
            	chain nat-cali-POSTROUTING {
            		counter jump nat-cali-fip-snat comment "cali:tyzVzs_JgnIisxS6;"
            		counter jump nat-cali-nat-outgoing comment "cali:nYKhEzDlr11Jccal;"
            		oifname "vxlan.calico" fib saddr . oif type != local fib saddr type local counter masquerade comment "cali:2Er8attV1nLNdKXr;"
            	}
            	chain nat-POSTROUTING {
            		type nat hook postrouting priority srcnat; policy accept;
            		counter jump nat-cali-POSTROUTING comment "cali:z057H0Z77Fcko47w;"
            	}
            }

            """);

    /// <summary>
    /// firewalld's nftables backend (firewalld/firewalld src/firewall/core/nftables.py): table inet firewalld,
    /// zone public's masquerade in nat_POST_public_allow (build_policy_masquerade_rules).
    /// </summary>
    public static void FirewalldNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table inet firewalld {
            	chain nat_POST_public_allow {
            		meta nfproto ipv4 oifname != "lo" masquerade
            		meta nfproto ipv6 oifname != "lo" masquerade
            	}
            	chain nat_POST_public {
            		jump nat_POST_public_allow
            	}
            	chain nat_POSTROUTING_ZONES {
            		oifname "eth0" goto nat_POST_public
            		goto nat_POST_public
            	}
            	chain nat_POSTROUTING {
            		type nat hook postrouting priority srcnat + 10; policy accept;
            		jump nat_POSTROUTING_ZONES
            	}
            }

            """);

    /// <summary>
    /// firewalld's iptables backend (firewalld/firewalld src/firewall/core/ipXtables.py): POSTROUTING_ZONES
    /// sends zone public's traffic to POST_public, whose _allow part holds the masquerade.
    /// </summary>
    public static void FirewalldIptables(TestNamespace ns)
    {
        const string rules = """
            *nat
            :POSTROUTING ACCEPT [0:0]
            :POSTROUTING_ZONES - [0:0]
            :POST_public - [0:0]
            :POST_public_allow - [0:0]
            :POST_public_deny - [0:0]
            :POST_public_log - [0:0]
            :POST_public_post - [0:0]
            :POST_public_pre - [0:0]
            -A POSTROUTING -j POSTROUTING_ZONES
            -A POSTROUTING_ZONES -o eth0 -g POST_public
            -A POSTROUTING_ZONES -g POST_public
            -A POST_public -j POST_public_pre
            -A POST_public -j POST_public_log
            -A POST_public -j POST_public_deny
            -A POST_public -j POST_public_allow
            -A POST_public -j POST_public_post
            -A POST_public_allow ! -o lo -j MASQUERADE
            COMMIT

            """;
        IptablesBoth(ns, rules, rules);
    }

    /// <summary>
    /// netavark's nftables driver (containers/netavark src/firewall/nft.rs): table inet netavark, the
    /// hostport mark masquerade in POSTROUTING and per-subnet chains nv_&lt;network id&gt;_&lt;subnet&gt;.
    /// </summary>
    public static void NetavarkNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table inet netavark {
            	chain nv_2f259bab_198_18_90_0_nm24 {
            		ip daddr 198.18.90.0/24 accept
            		ip daddr != 224.0.0.0/4 masquerade
            	}
            	chain nv_2f259bab_2001-db8-90--_nm64 {
            		ip6 daddr 2001:db8:90::/64 accept
            		ip6 daddr != ff00::/8 masquerade
            	}
            	chain POSTROUTING {
            		type nat hook postrouting priority srcnat; policy accept;
            		meta mark & 0x00002000 == 0x00002000 masquerade
            		ip saddr 198.18.90.0/24 jump nv_2f259bab_198_18_90_0_nm24
            		ip6 saddr 2001:db8:90::/64 jump nv_2f259bab_2001-db8-90--_nm64
            	}
            }

            """);

    /// <summary>
    /// libvirt's nftables backend (libvirt/libvirt src/network/network_nftables.c): tables ip/ip6
    /// libvirt_network, chain guest_nat, masquerade with "to ports 1024-65535" for tcp and udp.
    /// </summary>
    public static void LibvirtNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table ip libvirt_network {
            	chain guest_nat {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr 198.18.122.0/24 ip daddr 224.0.0.0/24 counter return
            		ip saddr 198.18.122.0/24 ip daddr 255.255.255.255 counter return
            		meta l4proto tcp ip saddr 198.18.122.0/24 ip daddr != 198.18.122.0/24 counter masquerade to :1024-65535
            		meta l4proto udp ip saddr 198.18.122.0/24 ip daddr != 198.18.122.0/24 counter masquerade to :1024-65535
            		ip saddr 198.18.122.0/24 ip daddr != 198.18.122.0/24 counter masquerade
            	}
            }
            table ip6 libvirt_network {
            	chain guest_nat {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip6 saddr 2001:db8:122::/64 ip6 daddr != 2001:db8:122::/64 counter masquerade
            	}
            }

            """);

    /// <summary>
    /// Cilium with iptables masquerading (cilium/cilium pkg/datapath/iptables: CILIUM_POST_nat behind the
    /// "cilium-feeder:" jump, "cilium masquerade non-cluster", the cilium_host SNATs); --iptables-random-fully off.
    /// </summary>
    public static void Cilium(TestNamespace ns) => IptablesBoth(
        ns,
        """
        *nat
        :POSTROUTING ACCEPT [0:0]
        :CILIUM_POST_nat - [0:0]
        -A POSTROUTING -m comment --comment "cilium-feeder: CILIUM_POST_nat" -j CILIUM_POST_nat
        -A CILIUM_POST_nat -s 198.18.100.0/24 ! -d 198.18.0.0/16 ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE
        -A CILIUM_POST_nat -m mark --mark 0xa00/0xe00 -m comment --comment "exclude proxy return traffic from masquerade" -j ACCEPT
        -A CILIUM_POST_nat ! -s 198.18.100.0/24 ! -d 198.18.100.0/24 -o cilium_host -m comment --comment "cilium host->cluster masquerade" -j SNAT --to-source 198.18.100.96
        -A CILIUM_POST_nat -o cilium_host -m mark --mark 0xf00/0xf00 -m conntrack --ctstate DNAT -m comment --comment "hairpin traffic that originated from a local pod" -j SNAT --to-source 198.18.100.96
        COMMIT

        """,
        """
        *nat
        :POSTROUTING ACCEPT [0:0]
        :CILIUM_POST_nat - [0:0]
        -A POSTROUTING -m comment --comment "cilium-feeder: CILIUM_POST_nat" -j CILIUM_POST_nat
        -A CILIUM_POST_nat -s 2001:db8:100::/64 ! -d 2001:db8::/48 ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE
        COMMIT

        """);

    /// <summary>
    /// The CNI bridge plugin's ipMasq: per container a CNI-&lt;hash&gt; chain with comment name/id
    /// (containernetworking/plugins pkg/ip/ipmasq_iptables_linux.go, pkg/utils/utils.go), and the nftables form,
    /// a rule per container in table inet cni_plugins_masquerade chain masq_checks (ipmasq_nftables_linux.go).
    /// </summary>
    public static void CniBridge(TestNamespace ns)
    {
        LiveRules.NftLoad(ns, """
            table inet cni_plugins_masquerade {
            	chain masq_checks {
            		ip saddr 198.18.111.2 ip daddr != 198.18.111.0/24 masquerade comment "5b1c0d2e3f4a5b6c-9e8d7c6b5a4f3e2d, net: cbr0, if: eth0, id: 3c5d8e0f1a2b"
            	}
            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip daddr 224.0.0.0/4 return
            		ip6 daddr ff00::/8 return
            		goto masq_checks
            	}
            }

            """);
        IptablesBoth(
            ns,
            $"""
            *nat
            :POSTROUTING ACCEPT [0:0]
            :{CniChain} - [0:0]
            -A POSTROUTING -s 198.18.110.2/32 -m comment --comment "{CniCommentSaved}" -j {CniChain}
            -A {CniChain} -d 198.18.110.0/24 -m comment --comment "{CniCommentSaved}" -j ACCEPT
            -A {CniChain} ! -d 224.0.0.0/4 -m comment --comment "{CniCommentSaved}" -j MASQUERADE
            COMMIT

            """,
            $"""
            *nat
            :POSTROUTING ACCEPT [0:0]
            :{CniChain} - [0:0]
            -A POSTROUTING -s 2001:db8:110::2/128 -m comment --comment "{CniCommentSaved}" -j {CniChain}
            -A {CniChain} -d 2001:db8:110::/64 -m comment --comment "{CniCommentSaved}" -j ACCEPT
            -A {CniChain} ! -d ff00::/8 -m comment --comment "{CniCommentSaved}" -j MASQUERADE
            COMMIT

            """);
    }
}
