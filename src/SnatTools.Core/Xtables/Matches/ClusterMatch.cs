using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m cluster (uapi xt_cluster.h struct xt_cluster_match_info { u32 total_nodes, node_mask,
/// hash_seed, flags }), as libxt_cluster.c cluster_save prints it (XT_CLUSTER_F_INV 1).
/// </summary>
public sealed class ClusterMatch : XtMatch
{
    private ClusterMatch(uint revision, byte[] info)
        : base("cluster", revision, info)
    {
    }

    public static ClusterMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 16 ? new ClusterMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        uint total = BinaryPrimitives.ReadUInt32LittleEndian(Info), mask = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(4));
        uint seed = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(8)), flags = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(12));
        return $"{XtText.Not((flags & 1) != 0)} --cluster-local-nodemask 0x{mask:x8} --cluster-total-nodes {total} --cluster-hash-seed 0x{seed:x8}";
    }
}
