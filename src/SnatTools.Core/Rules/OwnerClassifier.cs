namespace SnatTools.Core.Rules;

/// <summary>The owner of a rule, the evidence that decided it, and whether that evidence is only a guess.</summary>
/// <param name="Evidence">What gave the owner away ("table ip docker-bridges", "chain KUBE-POSTROUTING", ...); null for Unknown.</param>
/// <param name="IsGuess">True when only an interface name pointed at the owner: bridges can be named by anyone.</param>
public readonly record struct OwnerMatch(SnatOwner Owner, string? Evidence, bool IsGuess)
{
    public static readonly OwnerMatch None = new(SnatOwner.Unknown, null, false);
}

/// <summary>
/// Names the controller that installed a rule from the names that controller writes, strongest
/// evidence first: the native nftables table it owns, then the chain (iptables chains and native
/// chains), then the ipsets the rule's matches name, then the rule comment, and last, marked as a
/// guess, the bridge the rule names as out interface. A rule with none of these is Unknown: a bare
/// POSTROUTING MASQUERADE (lxc-net's iptables rule, Docker's iptables rules without their bridge)
/// is never guessed. Each pattern cites the controller source that writes it.
/// </summary>
public static class OwnerClassifier
{
    private const string WeakMarker = " (weak: interface name only)";

    /// <summary>Native nftables tables a controller owns, by exact name (Prefix: the name starts with it).</summary>
    private static readonly (string Name, bool Prefix, SnatOwner Owner)[] NftTables =
    [
        // kubernetes/kubernetes pkg/proxy/nftables/proxier.go: table ip/ip6 kube-proxy.
        ("kube-proxy", false, SnatOwner.KubeProxy),
        // firewalld/firewalld src/firewall/core/nftables.py: TABLE_NAME = "firewalld" (inet).
        ("firewalld", false, SnatOwner.Firewalld),
        // containers/netavark src/firewall/nft.rs: TABLENAME = "netavark" (inet).
        ("netavark", false, SnatOwner.Podman),
        // libvirt/libvirt src/network/network_nftables.c: VIR_NFTABLES_PRIVATE_TABLE "libvirt_network" (ip/ip6), chain guest_nat.
        ("libvirt_network", false, SnatOwner.Libvirt),
        // The same file's parser still names the table "ip libvirt" in a comment; "cilium", "flannel" and "docker" are
        // kept from the first version of this table: no current writer of them was found.
        ("libvirt", false, SnatOwner.Libvirt),
        ("cilium", false, SnatOwner.Cilium),
        // projectcalico/calico felix/nftables (utils.go newDataplane(..., "calico")): table ip/ip6 calico, chains nat-cali-*.
        ("calico", false, SnatOwner.Calico),
        // flannel-io/flannel pkg/trafficmngr/nftables/nftables.go: ipv4Table "flannel-ipv4", ipv6Table "flannel-ipv6", chain postrtg.
        ("flannel-ipv4", false, SnatOwner.Flannel),
        ("flannel-ipv6", false, SnatOwner.Flannel),
        ("flannel", false, SnatOwner.Flannel),
        // moby/moby daemon/libnetwork/drivers/bridge/internal/nftabler/nftabler.go: dockerTable = "docker-bridges" (ip and ip6).
        ("docker-bridges", false, SnatOwner.Docker),
        ("docker", false, SnatOwner.Docker),
        // lxc/incus internal/server/firewall/drivers/drivers_nftables.go: nftablesNamespace = "incus" (inet), chains pstrt.<network>.
        ("incus", false, SnatOwner.Incus),
        // canonical/lxd lxd/firewall/drivers/drivers_nftables.go: nftablesNamespace = "lxd" (inet), chains pstrt.<network>.
        ("lxd", false, SnatOwner.Lxd),
        // aojea/kindnet pkg/masq/masq.go: tableName = "kindnet-ipmasq" (inet), chain postrouting.
        ("kindnet-ipmasq", false, SnatOwner.Kindnet),
        // lxc/lxc config/init/common/lxc-net.in: "add table ip lxc" / ip6 lxc, chain postrouting.
        ("lxc", false, SnatOwner.Lxc),
        // NetworkManager/NetworkManager src/core/nm-firewall-utils.c _fw_nft_set_shared_construct: table ip nm-shared-<iface>.
        ("nm-shared-", true, SnatOwner.NetworkManager),
        // containernetworking/plugins pkg/ip/ipmasq_nftables_linux.go: ipMasqTableName = "cni_plugins_masquerade" (inet).
        ("cni_plugins_masquerade", false, SnatOwner.Cni),
    ];

    /// <summary>Chains (iptables, and native chains in tables not listed above), by prefix unless Exact.</summary>
    private static readonly (string Name, bool Exact, SnatOwner Owner)[] Chains =
    [
        // cloudnativelabs/kube-router pkg/controllers/proxy (KUBE-ROUTER-HAIRPIN, ...): before KUBE-.
        ("KUBE-ROUTER-", false, SnatOwner.KubeRouter),
        // kubernetes/kubernetes pkg/proxy/iptables/proxier.go: kubePostroutingChain "KUBE-POSTROUTING", KUBE-SERVICES, ...
        ("KUBE-", false, SnatOwner.KubeProxy),
        // flannel-io/flannel pkg/trafficmngr/iptables/iptables.go: "FLANNEL-POSTRTG".
        ("FLANNEL-", false, SnatOwner.Flannel),
        // projectcalico/calico felix/rules (chain names "cali-" + name: cali-POSTROUTING, cali-nat-outgoing).
        ("cali-", false, SnatOwner.Calico),
        // projectcalico/calico felix/nftables/table_layer.go: native chains are "<table>-<iptables chain>" (nat-cali-nat-outgoing).
        ("nat-cali-", false, SnatOwner.Calico),
        // cilium/cilium pkg/datapath/iptables: ciliumPostNatChain "CILIUM_POST_nat".
        ("CILIUM_", false, SnatOwner.Cilium),
        // libvirt/libvirt src/network/network_iptables.c: VIR_IPTABLES_NAT_POSTROUTE_CHAIN "LIBVIRT_PRT".
        ("LIBVIRT_", false, SnatOwner.Libvirt),
        // containers/netavark src/firewall/varktables/types.rs (iptables driver, removed in 0fa48211): NETAVARK-*, NETAVARK_*.
        ("NETAVARK", false, SnatOwner.Podman),
        // kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go: --masq-chain, default "IP-MASQ-AGENT"; GKE runs it as IP-MASQ.
        ("IP-MASQ-AGENT", true, SnatOwner.IpMasqAgent),
        ("IP-MASQ", true, SnatOwner.IpMasqAgent),
        // aws/amazon-vpc-cni-k8s pkg/networkutils/network.go: "AWS-SNAT-CHAIN-0"; iptables_connmark.go: "AWS-CONNMARK-CHAIN-0".
        ("AWS-SNAT-CHAIN-", false, SnatOwner.AwsVpcCni),
        ("AWS-CONNMARK-CHAIN-", false, SnatOwner.AwsVpcCni),
        // tailscale/tailscale util/linuxfw/iptables_runner.go and nftables_runner.go (chainNamePostrouting): "ts-postrouting" in both backends.
        ("ts-postrouting", true, SnatOwner.Tailscale),
        // weaveworks/weave net/bridge.go: ensureChains(ipt, "nat", "WEAVE"); net/expose.go adds its MASQUERADEs there.
        ("WEAVE", false, SnatOwner.Weave),
        // antrea-io/antrea pkg/agent/route/route_linux.go: antreaPostRoutingChain = "ANTREA-POSTROUTING".
        ("ANTREA-", false, SnatOwner.Antrea),
        // kubernetes-sigs/kind images/kindnetd/cmd/kindnetd/masq.go: masqChainName = "KIND-MASQ-AGENT".
        ("KIND-MASQ-AGENT", true, SnatOwner.Kindnet),
        // moby/moby daemon/libnetwork/drivers/bridge/internal/nftabler/network.go: "nat-postrouting-out__" + bridge (and -in__).
        ("nat-postrouting-out__", false, SnatOwner.Docker),
        ("nat-postrouting-in__", false, SnatOwner.Docker),
        // firewalld/firewalld src/firewall/core/nftables.py build_policy_masquerade_rules: "nat_%s_%s" % (POST_<policy>, suffix).
        ("nat_POST_", false, SnatOwner.Firewalld),
        // containernetworking/plugins pkg/utils/utils.go FormatChainName: "CNI-" + hash (the AWS egress plugin's are below).
        ("CNI-", false, SnatOwner.Cni),
        // moby/moby daemon/libnetwork/drivers/bridge/internal/iptabler: DOCKER, DOCKER-USER, DOCKER-FORWARD, ...
        ("DOCKER", false, SnatOwner.Docker),
    ];

    /// <summary>Comments, by prefix unless Contains; checked in order.</summary>
    private static readonly (string Text, bool Contains, SnatOwner Owner)[] Comments =
    [
        // antrea-io/antrea pkg/agent/route/route_linux.go: "Antrea: masquerade Pod to external packets", "Antrea: AWS, ..." (before AWS).
        ("Antrea: ", false, SnatOwner.Antrea),
        // kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go: masqRuleComment "ip-masq-agent: outbound traffic ...".
        ("ip-masq-agent: ", false, SnatOwner.IpMasqAgent),
        // kubernetes-sigs/kind images/kindnetd/cmd/kindnetd/masq.go: "kind-masq-agent: outbound traffic ...".
        ("kind-masq-agent: ", false, SnatOwner.Kindnet),
        // aws/amazon-vpc-cni-k8s pkg/networkutils/network.go: "AWS SNAT CHAIN", "AWS, SNAT"; misc/10-aws.conflist network "aws-cni".
        ("AWS SNAT CHAIN", false, SnatOwner.AwsVpcCni),
        ("AWS, ", false, SnatOwner.AwsVpcCni),
        ("name: \"aws-cni\"", false, SnatOwner.AwsVpcCni),
        // NetworkManager/NetworkManager src/core/nm-firewall-utils.c _share_iptables_set_masquerade_sync: comment "nm-shared-<iface>".
        ("nm-shared-", false, SnatOwner.NetworkManager),
        // canonical/lxd lxd/firewall/drivers/drivers_xtables.go: "generated for" + " LXD network <name>";
        // lxc/incus (xtables driver until f55dba32b7): "generated for Incus network <name>".
        ("generated for LXD network", false, SnatOwner.Lxd),
        ("generated for Incus network", false, SnatOwner.Incus),
        // kubernetes/kubernetes pkg/proxy/iptables/proxier.go: "kubernetes service traffic requiring SNAT", ...
        ("kubernetes", true, SnatOwner.KubeProxy),
        // flannel-io/flannel pkg/trafficmngr/iptables/iptables.go: "flanneld masq".
        ("flanneld", true, SnatOwner.Flannel),
        // projectcalico/calico felix (every rule: "cali:" + hash; felix/fv/cali-nftables-dump.txt).
        ("cali:", true, SnatOwner.Calico),
        // cilium/cilium pkg/datapath/iptables: "cilium masquerade non-cluster", "cilium-feeder: ...".
        ("cilium", true, SnatOwner.Cilium),
        // Podman's CNI network is named "podman" (FormatComment below); the others are kept from the first version.
        ("name: \"podman\"", true, SnatOwner.Podman),
        ("netavark", true, SnatOwner.Podman),
        ("libvirt", true, SnatOwner.Libvirt),
        ("docker", true, SnatOwner.Docker),
        // containernetworking/plugins pkg/utils/utils.go FormatComment: name: "<network>" id: "<container>".
        ("name: \"", true, SnatOwner.Cni),
    ];

    /// <summary>ipsets whose names only one controller writes (matched by prefix, after ip6's "inet6:").</summary>
    private static readonly (string Prefix, SnatOwner Owner)[] Sets =
    [
        // cloudnativelabs/kube-router pkg/controllers/routing/network_routes_controller.go: "kube-router-pod-subnets",
        // "kube-router-node-ips"; pod_egress.go matches them (IPv6: "inet6:" + name) in a plain POSTROUTING MASQUERADE.
        ("kube-router-", SnatOwner.KubeRouter),
    ];

    /// <summary>Bridges a controller creates by default; only ever a guess.</summary>
    private static readonly (string Prefix, SnatOwner Owner)[] Interfaces =
    [
        // moby/moby: the default bridge docker0, user networks "br-" + network id.
        ("docker", SnatOwner.Docker),
        ("br-", SnatOwner.Docker),
        // libvirt's default network: virbr0.
        ("virbr", SnatOwner.Libvirt),
        // Podman's default network: podman0 (netavark) / cni-podman0 (CNI).
        ("podman", SnatOwner.Podman),
        // containernetworking/plugins bridge: default bridge cni0; kubenet's cbr0.
        ("cni", SnatOwner.Cni),
        ("cbr", SnatOwner.Cni),
        // flannel.1 (vxlan), cilium_host / cilium_net.
        ("flannel", SnatOwner.Flannel),
        ("cilium_", SnatOwner.Cilium),
        // lxc/lxc config/init/common/lxc-net.in: LXC_BRIDGE="lxcbr0".
        ("lxcbr", SnatOwner.Lxc),
        // canonical/lxd lxd/main_init_interactive.go: default bridge lxdbr0; lxc/incus cmd/incus-user/server.go: incusbr0.
        ("lxdbr", SnatOwner.Lxd),
        ("incusbr", SnatOwner.Incus),
        // weaveworks/weave net/bridge.go: WeaveBridgeName = "weave".
        ("weave", SnatOwner.Weave),
        // antrea-io/antrea cmd/antrea-agent/options.go: defaultHostGateway = "antrea-gw0".
        ("antrea-gw", SnatOwner.Antrea),
        // cloudnativelabs/kube-router pkg/controllers/routing: bridge "kube-bridge".
        ("kube-bridge", SnatOwner.KubeRouter),
    ];

    /// <summary>Names the owner of one rule.</summary>
    /// <param name="tableFamily">The nftables family of the table ("ip", "ip6", "inet"), for the evidence text.</param>
    /// <param name="sets">Names of the ipsets (iptables -m set) or nftables sets the rule's matches name; null when none.</param>
    public static OwnerMatch Classify(
        SnatBackend backend, string tableFamily, string table, string chain, string? comment, string? outInterface, IReadOnlyCollection<string>? sets = null)
    {
        if (backend == SnatBackend.Nftables)
        {
            foreach (var (name, prefix, owner) in NftTables)
            {
                if (prefix ? table.StartsWith(name, StringComparison.OrdinalIgnoreCase) : table.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return new(owner, $"table {tableFamily} {table}", false);
                }
            }
        }

        // The AWS VPC CNI's egress plugin names its chains the way the CNI plugins do (CNI-E4-/CNI-E6- + hash),
        // but with the network name "aws-cni" in the comment: cmd/egress-cni-plugin/main.go
        // (MustFormatChainNameWithPrefix(..., "E4-"), FormatComment(NetConf.Name, ...)) and misc/10-aws.conflist.
        if (chain.StartsWith("CNI-", StringComparison.Ordinal) && comment is not null && comment.Contains("name: \"aws-cni\"", StringComparison.Ordinal))
        {
            return new(SnatOwner.AwsVpcCni, $"chain {chain} with comment \"{comment}\"", false);
        }

        if (IsFirewalldIptablesChain(chain))
        {
            return new(SnatOwner.Firewalld, $"chain {chain}", false);
        }

        foreach (var (name, exact, owner) in Chains)
        {
            if (exact ? chain.Equals(name, StringComparison.Ordinal) : chain.StartsWith(name, StringComparison.Ordinal))
            {
                return new(owner, $"chain {chain}", false);
            }
        }

        if (sets is not null)
        {
            foreach (var set in sets)
            {
                string bare = set.StartsWith("inet6:", StringComparison.Ordinal) ? set["inet6:".Length..] : set;
                foreach (var (prefix, owner) in Sets)
                {
                    if (bare.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return new(owner, $"ipset {set}", false);
                    }
                }
            }
        }

        if (comment is not null)
        {
            foreach (var (text, contains, owner) in Comments)
            {
                if (contains ? comment.Contains(text, StringComparison.OrdinalIgnoreCase) : comment.StartsWith(text, StringComparison.Ordinal))
                {
                    return new(owner, $"comment \"{comment}\"", false);
                }
            }
        }

        if (outInterface is not null)
        {
            foreach (var (prefix, owner) in Interfaces)
            {
                if (outInterface.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return new(owner, $"out interface {outInterface}{WeakMarker}", true);
                }
            }
        }

        return OwnerMatch.None;
    }

    /// <summary>
    /// firewalld's iptables backend names its SNAT chains "POST_" + zone or policy + "_" + part
    /// (firewalld/firewalld src/firewall/core/fw_policy.py policy_base_chain_name, isSNAT; ipXtables.py
    /// build_policy_masquerade_rules: "! -o lo -j MASQUERADE" in POST_&lt;zone&gt;_allow). "POST_" alone is too
    /// common a prefix, so the part after the last underscore must be one of firewalld's.
    /// </summary>
    private static bool IsFirewalldIptablesChain(string chain) =>
        chain.StartsWith("POST_", StringComparison.Ordinal)
        && chain.LastIndexOf('_') is var last and > 4
        && chain[(last + 1)..] is "allow" or "deny" or "log" or "pre" or "post";
}
