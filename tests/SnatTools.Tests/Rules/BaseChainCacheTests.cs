using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

public sealed class BaseChainCacheTests
{
    [SkippableFact]
    public void A_base_chain_added_after_a_read_is_found_by_the_next_read()
    {
        Root.Require();
        using var ns = new TestNamespace("cache");
        LiveRules.NftLoad(ns, "table ip t {\n chain a {\n type nat hook postrouting priority 100; policy accept;\n masquerade\n }\n}\n");
        Assert.Single(LiveRules.Read(ns, allChains: false));
        Assert.Single(LiveRules.Read(ns, allChains: false)); // served from the cache

        LiveRules.NftLoad(ns, "table ip t {\n chain b {\n type nat hook input priority 100; policy accept;\n snat to 198.19.0.1\n }\n}\n");

        Assert.Equal(["a", "b"], LiveRules.Read(ns, allChains: false).Select(r => r.Chain).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void A_cached_chain_list_is_not_trusted_for_another_namespace_with_the_same_table_and_generation()
    {
        Root.Require();
        const string First = "table ip t {\n chain a {\n type nat hook postrouting priority 100; policy accept;\n masquerade\n }\n}\n";
        const string Second = "table ip t {\n chain z {\n type nat hook input priority 100; policy accept;\n snat to 198.19.0.1\n }\n}\n";
        using (var ns = new TestNamespace("cachea"))
        {
            LiveRules.NftLoad(ns, First);
            Assert.Equal("a", Assert.Single(LiveRules.Read(ns, allChains: false)).Chain);
        }

        // A new namespace often gets the deleted one's inode back; same table name, handle and generation.
        using var other = new TestNamespace("cacheb");
        LiveRules.NftLoad(other, Second);
        Assert.Equal("z", Assert.Single(LiveRules.Read(other, allChains: false)).Chain);
    }
}
