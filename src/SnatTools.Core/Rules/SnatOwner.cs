namespace SnatTools.Core.Rules;

/// <summary>The controller that most likely installed a rule (and may rewrite it).</summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum SnatOwner : long
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
