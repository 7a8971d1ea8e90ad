namespace SnatTools.Core.Rules;

/// <summary>
/// What to tell an operator who repairs a rule: whether the controller that owns it will put it
/// back, and how to make random-fully permanent there — the controller's own setting and the
/// version it appeared in, or plainly that it has none (then only re-applying after the controller
/// writes its rules keeps the fix, which Watch-SnatRule does). Every statement cites the
/// controller's source or documentation it was checked against.
/// </summary>
public static class OwnerAdvice
{
    /// <summary>The advice for rules of <paramref name="owner"/>; never null (Unknown says that nobody is known).</summary>
    public static string For(SnatOwner owner) => owner switch
    {
        SnatOwner.Unknown =>
            "No controller is known to own this rule: nothing in it (table, chain, ipset, comment or bridge) names one. Nobody known " +
            "will put it back, and nobody known has a setting for it: if a script or service of yours writes it, add --random-fully " +
            "(nft: fully-random) there.",

        // kubernetes/kubernetes pkg/util/iptables/iptables.go: RandomFullyMinVersion = "1.6.2", HasRandomFully();
        // pkg/proxy/iptables/proxier.go appends "--random-fully" to KUBE-POSTROUTING's MASQUERADE when it is true (PR #78547, milestone v1.16);
        // pkg/proxy/nftables/proxier.go writes `masquerade fully-random` unconditionally.
        SnatOwner.KubeProxy =>
            "kube-proxy rewrites its chains on every sync and may restore the rule as it wrote it. It has no flag for this: since " +
            "Kubernetes 1.16 it adds --random-fully to its KUBE-POSTROUTING MASQUERADE by itself when the iptables in its image is 1.6.2 " +
            "or later, and its nftables mode always writes fully-random. A rule without it means an old iptables in the kube-proxy " +
            "image: upgrade the image.",

        // moby/moby daemon/libnetwork/drivers/bridge/internal/iptabler/network.go and internal/nftabler/network.go write
        // MASQUERADE / masquerade / snat without any random flag and read no option for one.
        SnatOwner.Docker =>
            "dockerd writes its NAT rules again when it starts and when networks change, without random-fully. Docker has no setting " +
            "for it (neither the iptables nor the nftables firewall backend, up to Docker 29): keep the fix with Watch-SnatRule, or " +
            "re-apply after dockerd starts (a systemd ExecStartPost= drop-in for docker.service).",

        // flannel-io/flannel pkg/trafficmngr/iptables/iptables.go: --random-fully when ipt.HasRandomFully() and not
        // ipMasqRandomFullyDisable (flag --ip-masq-fully-random-disable, main.go); since v0.11.0 (commit 0d7b9946
        // "Use iptables --random-fully when available"). pkg/trafficmngr/nftables/nftables.go: "masquerade fully-random"
        // when the kernel accepts it (checkRandomfully) and the flag is not set.
        SnatOwner.Flannel =>
            "flanneld checks its rules periodically and writes them again, so it reverts the change. flannel adds --random-fully " +
            "(nftables: fully-random) by itself since v0.11.0 when its iptables and kernel support it, unless it runs with " +
            "--ip-masq-fully-random-disable: remove that flag, or upgrade an image whose iptables is older than 1.6.2.",

        // projectcalico/calico felix/environment/feature_detect_linux.go: SNATFullyRandom (iptables >= 1.6.0, kernel >= 3.14),
        // MASQFullyRandom (iptables >= 1.6.2, kernel >= 3.14); felix/config/config_params.go FeatureDetectOverride
        // (added as IptablesFeatureDetectOverride in Felix 3.16, commit 331f8e45d6); felix/nftables/actions.go fully-random.
        SnatOwner.Calico =>
            "Calico's Felix rewrites its chains and reverts the change. Felix adds --random-fully (nftables: fully-random) to its " +
            "MASQUERADE and SNAT rules by itself when it detects iptables 1.6.2 (SNAT: 1.6.0) and kernel 3.14 or later. Its setting is " +
            "FeatureDetectOverride (FelixConfiguration featureDetectOverride, env FELIX_FEATUREDETECTOVERRIDE, since Calico 3.16): " +
            "make sure it does not say MASQFullyRandom=false or SNATFullyRandom=false, or set them to true when detection is wrong.",

        // cilium/cilium pkg/option/config.go: IPTablesRandomFully = "iptables-random-fully" (default false), added in
        // Cilium 1.9 (release notes v1.9.0-rc2, PR #13383); cilium-config key iptables-random-fully; enable-bpf-masquerade.
        SnatOwner.Cilium =>
            "cilium-agent writes its CILIUM_ chains again when it starts and reverts the change. Its setting is the agent option " +
            "--iptables-random-fully=true (cilium-config key iptables-random-fully, since Cilium 1.9; default false), or BPF " +
            "masquerading (enable-bpf-masquerade), which does not use these rules.",

        // libvirt/libvirt src/network/network_nftables.c (table libvirt_network, chain guest_nat) and network_iptables.c
        // (LIBVIRT_PRT) write masquerade with "to ports 1024-65535" but no random flag; no network XML attribute selects one.
        SnatOwner.Libvirt =>
            "libvirtd writes its NAT rules again when a virtual network starts and when libvirtd or virtnetworkd restarts. libvirt " +
            "has no setting for random-fully (network XML <nat> has none): keep the fix with Watch-SnatRule.",

        // containers/netavark src/firewall/nft.rs (and its iptables driver src/firewall/varktables, removed in 0fa48211):
        // masquerade / snat without a random flag; no network option sets one.
        SnatOwner.Podman =>
            "netavark writes the rules of a Podman network again when a container on it starts. netavark has no setting for " +
            "random-fully: keep the fix with Watch-SnatRule.",

        // firewalld/firewalld src/firewall/core/nftables.py build_policy_masquerade_rules: {"masquerade": None} in
        // nat_POST_<policy>_allow; ipXtables.py likewise; zones and policies have no option for a random flag.
        SnatOwner.Firewalld =>
            "firewalld writes its table again on every reload and restart. Its masquerade (zone or policy) has no setting for " +
            "random-fully: keep the fix with Watch-SnatRule, or replace the masquerade with your own rule that has it.",

        // containernetworking/plugins pkg/ip/ipmasq_iptables_linux.go (SetupIPMasq: "-j MASQUERADE") and
        // ipmasq_nftables_linux.go (table cni_plugins_masquerade): no random flag and no plugin option for one.
        SnatOwner.Cni =>
            "The CNI bridge plugin (ipMasq) writes a chain like this for every container it starts. The plugins have no setting for " +
            "random-fully: keep the fix with Watch-SnatRule, or turn ipMasq off and masquerade the pod range with one rule of your own.",

        // kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go: flag --random-fully (default true);
        // README.md: "Since ip-masq-agent v2.10, --random-fully started to be set by default".
        SnatOwner.IpMasqAgent =>
            "ip-masq-agent resyncs its chain periodically and reverts the change. Since v2.10 it adds --random-fully by itself when " +
            "iptables supports it (flag --random-fully, default true): make sure the agent does not run with --random-fully=false, or " +
            "upgrade an older agent.",

        // aws/amazon-vpc-cni-k8s README.md AWS_VPC_K8S_CNI_RANDOMIZESNAT (hashrandom | prng | none, default prng);
        // CHANGELOG.md: the variable since v1.4.0 (#246), prng (--random-fully) the default since v1.7.0 (#1048);
        // pkg/networkutils/network.go and cmd/egress-cni-plugin/snat/snat.go append --random-fully for prng.
        SnatOwner.AwsVpcCni =>
            "aws-node rewrites its AWS-SNAT-CHAIN-0 (and the egress plugin its CNI-E4-/CNI-E6- chains) and reverts the change. Its " +
            "setting is AWS_VPC_K8S_CNI_RANDOMIZESNAT=prng on the aws-node DaemonSet (since v1.4.0; the default since v1.7.0): a rule " +
            "without it means hashrandom or none is set, or iptables in the image is too old for --random-fully.",

        // tailscale/tailscale util/linuxfw/iptables_runner.go AddSNATRule ("-j MASQUERADE") and nftables_runner.go
        // (expr.Masq{} in ts-postrouting): no random flag and no option for one.
        SnatOwner.Tailscale =>
            "tailscaled writes ts-postrouting again when it starts and when routes change. Tailscale has no setting for random-fully: " +
            "keep the fix with Watch-SnatRule.",

        // lxc/incus internal/server/firewall/drivers/drivers_nftables_templates.go (nftablesNetOutboundNAT: masquerade / snat
        // without flags); no network option (ipv4.nat, ipv4.nat.address, ...) selects a random flag.
        SnatOwner.Incus =>
            "incusd writes its table again when it starts and when a network changes. Incus has no network option for random-fully: " +
            "keep the fix with Watch-SnatRule.",

        // canonical/lxd lxd/firewall/drivers/drivers_nftables_templates.go and drivers_xtables.go: masquerade / MASQUERADE
        // without flags; no network option selects one.
        SnatOwner.Lxd =>
            "LXD writes its rules again when it starts and when a network changes. LXD has no network option for random-fully: keep " +
            "the fix with Watch-SnatRule.",

        // NetworkManager/NetworkManager src/core/nm-firewall-utils.c: _share_iptables_set_masquerade_sync ("--jump MASQUERADE")
        // and _fw_nft_set_shared_construct ("masquerade;"): no flag, no connection property for one.
        SnatOwner.NetworkManager =>
            "NetworkManager writes this rule when the shared connection (ipv4.method shared) comes up. It has no setting for " +
            "random-fully: keep the fix with Watch-SnatRule.",

        // weaveworks/weave net/expose.go addNatRule ("-j MASQUERADE") and net/bridge.go: no flag, no option; the project is archived.
        SnatOwner.Weave =>
            "Weave Net writes its WEAVE chain again when the router starts or a CIDR is exposed. Weave has no setting for random-fully " +
            "and is no longer maintained: keep the fix with Watch-SnatRule.",

        // antrea-io/antrea pkg/config/agent/config.go SNATFullyRandomPorts (yaml snatFullyRandomPorts, default false) and
        // egress.snatFullyRandomPorts; pkg/agent/route/route_linux.go appends --random-fully; added in v2.2.0 (PR #6602).
        SnatOwner.Antrea =>
            "antrea-agent rewrites ANTREA-POSTROUTING and reverts the change. Its setting is snatFullyRandomPorts: true in " +
            "antrea-agent.conf (Helm value snatFullyRandomPorts; egress.snatFullyRandomPorts for Egress SNAT), since Antrea 2.2.",

        // cloudnativelabs/kube-router pkg/controllers/routing/pod_egress.go: appends --random-fully when
        // iptablesCmdHandler.HasRandomFully(); since v1.1.0 (PR #958, commit d66a3bb0 "Activate --random-fully where supported"); no flag.
        SnatOwner.KubeRouter =>
            "kube-router re-adds its pod egress MASQUERADE on every sync. It has no flag for it: since v1.1.0 it adds --random-fully " +
            "by itself when the iptables in its image supports it. A rule without it means an old kube-router or iptables: upgrade the image.",

        // kubernetes-sigs/kind images/kindnetd/cmd/kindnetd/masq.go ("-j MASQUERADE" in KIND-MASQ-AGENT) and aojea/kindnet
        // pkg/masq/masq.go (expr.Masq{FullyRandom: false} in inet kindnet-ipmasq): no flag for it.
        SnatOwner.Kindnet =>
            "kindnetd resyncs its masquerade rules and reverts the change. kindnet has no setting for random-fully: keep the fix with " +
            "Watch-SnatRule (kind clusters are usually short-lived test clusters).",

        // lxc/lxc config/init/common/lxc-net.in: plain MASQUERADE / masquerade; /etc/default/lxc-net has no variable for a flag.
        SnatOwner.Lxc =>
            "lxc-net writes these rules when the lxc-net service starts. lxc-net has no setting for random-fully: keep the fix with " +
            "Watch-SnatRule, or re-apply after lxc-net.service starts.",

        _ => "No advice is known for this owner.",
    };

    /// <summary>
    /// True when the owner writes random-fully itself or has a setting for it: then the fix belongs in
    /// that controller, and a guard that re-applies the flag would only fight it.
    /// </summary>
    public static bool HasSetting(SnatOwner owner) => owner is
        SnatOwner.KubeProxy or SnatOwner.Flannel or SnatOwner.Calico or SnatOwner.Cilium or SnatOwner.IpMasqAgent
        or SnatOwner.AwsVpcCni or SnatOwner.Antrea or SnatOwner.KubeRouter;
}
