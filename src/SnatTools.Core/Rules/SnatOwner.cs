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

    /// <summary>Kubernetes' ip-masq-agent (IP-MASQ-AGENT chain; GKE's IP-MASQ).</summary>
    IpMasqAgent,

    /// <summary>The Amazon VPC CNI (aws-node): AWS-SNAT-CHAIN-0 and its egress plugin's CNI-E4-/CNI-E6- chains.</summary>
    AwsVpcCni,

    Tailscale,
    Incus,
    Lxd,

    /// <summary>NetworkManager's shared connections (ipv4.method shared).</summary>
    NetworkManager,

    Weave,
    Antrea,
    KubeRouter,

    /// <summary>kindnetd, the CNI of kind clusters.</summary>
    Kindnet,

    /// <summary>lxc-net, the bridge script of classic LXC (lxcbr0).</summary>
    Lxc,
}
