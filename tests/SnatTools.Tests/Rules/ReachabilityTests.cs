using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

public sealed class ReachabilityTests
{
    [SkippableFact]
    public void Chains_reached_by_jump_goto_and_verdict_maps_are_read_and_orphans_only_with_AllChains()
    {
        Root.Require();
        using var ns = new TestNamespace("reach");
        LiveRules.NftLoad(ns, """
            table ip walk {
            	map route {
            		type ipv4_addr : verdict
            		elements = { 198.18.4.4 : jump by-named-map }
            	}
            	chain post {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr 198.18.1.0/24 jump by-jump
            		ip saddr 198.18.2.0/24 goto by-goto
            		ip saddr vmap { 198.18.3.3 : jump by-anonymous-map }
            		ip saddr vmap @route
            	}
            	chain pre {
            		type nat hook prerouting priority dstnat; policy accept;
            		jump from-prerouting-only
            	}
            	chain by-jump { masquerade comment "jump"; }
            	chain by-goto { jump nested; }
            	chain nested { masquerade comment "goto then jump"; }
            	chain by-anonymous-map { masquerade comment "anonymous vmap"; }
            	chain by-named-map { masquerade comment "named vmap"; }
            	chain from-prerouting-only { ip daddr 198.18.9.9 return; }
            	chain orphan { masquerade comment "orphan"; }
            }

            """);

        var reachable = LiveRules.Read(ns, allChains: false);
        var all = LiveRules.Read(ns, allChains: true);

        // Breadth-first: chains come in the order they are discovered.
        Assert.Equal(["jump", "anonymous vmap", "named vmap", "goto then jump"], reachable.Select(r => r.Comment));
        Assert.All(reachable, r => Assert.True(r.Reachable));
        Assert.Equal(reachable.Select(r => r.Comment).Append("orphan"), all.Select(r => r.Comment));
        Assert.False(all.Single(r => r.Comment == "orphan").Reachable);
    }

    [SkippableFact]
    public void An_iptables_chain_nothing_jumps_to_yet_is_reported_unreachable_with_AllChains()
    {
        Root.Require();
        using var ns = new TestNamespace("orphan");
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :KUBE-POSTROUTING - [0:0]
            -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
            COMMIT

            """);

        Assert.Empty(LiveRules.Read(ns, allChains: false));
        var orphan = Assert.Single(LiveRules.Read(ns, allChains: true));
        Assert.Equal((false, "KUBE-POSTROUTING"), (orphan.Reachable, orphan.Chain));

        ns.Exec("iptables-nft", "-t", "nat", "-A", "POSTROUTING", "-j", "KUBE-POSTROUTING");
        Assert.True(Assert.Single(LiveRules.Read(ns, allChains: false)).Reachable);
    }
}
