namespace SnatTools.Core.Rules;

/// <summary>
/// What to tell an operator who changes a rule that a controller owns: controllers that rewrite
/// their chains may put the rule back as they wrote it, and some have a setting that makes the
/// change permanent. Only controllers known to rewrite their rules get advice.
/// </summary>
public static class OwnerAdvice
{
    /// <summary>
    /// True when the owner writes random-fully by itself or has a setting for it: the fix belongs in
    /// that setting, and a guard that rewrote the rule behind the controller's back would fight it.
    /// </summary>
    public static bool HasSetting(SnatOwner owner) => owner is SnatOwner.KubeProxy or SnatOwner.Flannel or SnatOwner.Calico or SnatOwner.Cilium;

    public static string? For(SnatOwner owner) => owner switch
    {
        SnatOwner.KubeProxy =>
            "kube-proxy rewrites its chains on every sync and may restore the rule as it wrote it. Since Kubernetes 1.16 kube-proxy adds " +
            "--random-fully to its KUBE-POSTROUTING MASQUERADE by itself when the iptables in its image supports it (1.6.2 or later), and its " +
            "nftables mode always writes fully-random; a rule without it points at an old iptables in the kube-proxy image.",
        SnatOwner.Docker =>
            "dockerd writes its NAT rules again when it starts and when networks change, and may restore the rule without the change. Docker " +
            "has no daemon setting for --random-fully that this module knows of: re-apply after dockerd starts (for example from a systemd " +
            "ExecStartPost= drop-in for docker.service).",
        SnatOwner.Flannel =>
            "flanneld checks its rules periodically and writes them again when they differ from what it expects, so it may revert the change. " +
            "flannel adds --random-fully (nftables: fully-random) by itself when the iptables it runs supports it; a rule without it points " +
            "at an old flannel or iptables in its image.",
        SnatOwner.Calico =>
            "Calico's Felix rewrites its cali- chains and may revert the change. Felix adds --random-fully to its MASQUERADE and SNAT rules by " +
            "itself when it detects support in the kernel and iptables, unless FeatureDetectOverride (FELIX_FEATUREDETECTOVERRIDE) sets " +
            "MASQFullyRandom=false or SNATFullyRandom=false; a rule without it points at that override or an old iptables in the calico-node image.",
        SnatOwner.Cilium =>
            "cilium-agent writes its CILIUM_ chains again when it starts and may revert the change. Set the agent option " +
            "--iptables-random-fully=true (Helm value iptablesRandomFully) to make it permanent, or use BPF masquerading (bpf.masquerade=true), " +
            "which does not use these rules.",
        _ => null,
    };
}
