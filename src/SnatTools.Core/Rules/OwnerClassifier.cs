namespace SnatTools.Core.Rules;

/// <summary>
/// Guesses which controller installed a rule from the names those controllers use: chain
/// prefixes (KUBE-, FLANNEL-, cali-, CILIUM_, LIBVIRT_, NETAVARK, CNI-, DOCKER), nftables table
/// names (kube-proxy, firewalld, netavark, libvirt_network, ...), rule comments, and the
/// bridges they create (docker0, br-*, virbr*, podman*, cni0). Returns the evidence used.
/// </summary>
public static class OwnerClassifier
{
    private static readonly (string Prefix, SnatOwner Owner)[] ChainPrefixes =
    [
        ("KUBE-", SnatOwner.KubeProxy),
        ("FLANNEL-", SnatOwner.Flannel),
        ("cali-", SnatOwner.Calico),
        ("CILIUM_", SnatOwner.Cilium),
        ("LIBVIRT_", SnatOwner.Libvirt),
        ("NETAVARK", SnatOwner.Podman),
        ("CNI-", SnatOwner.Cni),
        ("DOCKER", SnatOwner.Docker),
    ];

    private static readonly (string Name, SnatOwner Owner)[] NftTables =
    [
        ("kube-proxy", SnatOwner.KubeProxy),
        ("firewalld", SnatOwner.Firewalld),
        ("netavark", SnatOwner.Podman),
        ("libvirt_network", SnatOwner.Libvirt),
        ("libvirt", SnatOwner.Libvirt),
        ("cilium", SnatOwner.Cilium),
        ("calico", SnatOwner.Calico),
        ("flannel", SnatOwner.Flannel),
        ("docker", SnatOwner.Docker),
    ];

    private static readonly (string Text, SnatOwner Owner)[] CommentMarks =
    [
        ("kubernetes", SnatOwner.KubeProxy),
        ("flanneld", SnatOwner.Flannel),
        ("cali:", SnatOwner.Calico),
        ("cilium", SnatOwner.Cilium),
        ("name: \"podman\"", SnatOwner.Podman),
        ("netavark", SnatOwner.Podman),
        ("libvirt", SnatOwner.Libvirt),
        ("docker", SnatOwner.Docker),
        ("name: \"", SnatOwner.Cni),
    ];

    private static readonly (string Prefix, SnatOwner Owner)[] Interfaces =
    [
        ("docker", SnatOwner.Docker),
        ("br-", SnatOwner.Docker),
        ("virbr", SnatOwner.Libvirt),
        ("podman", SnatOwner.Podman),
        ("cni", SnatOwner.Cni),
        ("cbr", SnatOwner.Cni),
        ("flannel", SnatOwner.Flannel),
        ("cilium_", SnatOwner.Cilium),
    ];

    public static (SnatOwner Owner, string? Evidence) Classify(SnatBackend backend, string tableFamily, string table, string chain, string? comment, string? outInterface)
    {
        foreach (var (prefix, owner) in ChainPrefixes)
        {
            if (chain.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (owner, $"chain {chain}");
            }
        }

        if (backend == SnatBackend.Nftables)
        {
            foreach (var (name, owner) in NftTables)
            {
                if (table.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return (owner, $"table {tableFamily} {table}");
                }
            }
        }

        if (comment is not null)
        {
            foreach (var (text, owner) in CommentMarks)
            {
                if (comment.Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    return (owner, $"comment \"{comment}\"");
                }
            }
        }

        if (outInterface is not null)
        {
            foreach (var (prefix, owner) in Interfaces)
            {
                if (outInterface.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return (owner, $"out interface {outInterface}");
                }
            }
        }

        return (SnatOwner.Unknown, null);
    }
}
