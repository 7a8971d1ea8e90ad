namespace SnatTools.Core.Nftables;

/// <summary>Anonymous sets and maps (written inline in a rule) get kernel-numbered names: "__set%d", "__map%d".</summary>
public static class NftSetNames
{
    public static bool IsAnonymous(string name) =>
        name.StartsWith("__set", StringComparison.Ordinal) || name.StartsWith("__map", StringComparison.Ordinal);
}
