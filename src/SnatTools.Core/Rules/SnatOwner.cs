namespace SnatTools.Core.Rules;

/// <summary>The controller that most likely installed a rule (and may rewrite it).</summary>
public enum SnatOwner
{
    Unknown,
    KubeProxy,
    Docker,
    Flannel,
    Calico,
    Cilium,
    Libvirt,
    Podman,
    Firewalld,

    /// <summary>The CNI bridge/portmap plugins (CNI-* chains), as containerd, CRI-O and Kubernetes use them.</summary>
    Cni,
}
