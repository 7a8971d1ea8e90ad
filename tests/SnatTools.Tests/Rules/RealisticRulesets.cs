using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Rulesets as real controllers install them (Docker, kube-proxy in both modes, flannel, Calico,
/// libvirt on iptables-legacy, hand-written SNAT ranges and native nftables), loaded with the real
/// tools into a test namespace. Shared by the Get-SnatRule and Set-SnatRule tests.
/// </summary>
internal static partial class RealisticRulesets
{
    /// <summary>Every ruleset by name (the controllers' of <see cref="Owners"/> too), with the native nftables tables the nft oracle must read.</summary>
    public static readonly IReadOnlyDictionary<string, (Action<TestNamespace> Load, IReadOnlySet<string> NativeTables)> All =
        new Dictionary<string, (Action<TestNamespace>, IReadOnlySet<string>)>
        {
            [nameof(Docker)] = (Docker, new HashSet<string>()),
            [nameof(KubeProxyIptables)] = (ns => KubeProxyIptables(ns, randomFully: false), new HashSet<string>()),
            [nameof(KubeProxyNftables)] = (KubeProxyNftables, new HashSet<string> { "kube-proxy" }),
            [nameof(Flannel)] = (Flannel, new HashSet<string>()),
            [nameof(Calico)] = (Calico, new HashSet<string>()),
            [nameof(Ranges)] = (Ranges, new HashSet<string>()),
            [nameof(Natives)] = (Natives, new HashSet<string> { "natx", "v6nat" }),
            [nameof(Legacy)] = (Legacy, new HashSet<string>()),
            [nameof(Mixed)] = (Mixed, new HashSet<string>()),
        }
        .Concat(Owners().Select(o => KeyValuePair.Create(o.Name, (o.Load, o.NativeTables))))
        .ToDictionary();

    /// <summary>A Docker host: two bridges masqueraded without random-fully, a hairpin rule, DNAT for a published port.</summary>
    public static void Docker(TestNamespace ns) => LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :DOCKER - [0:0]
            -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
            -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
            -A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
            -A POSTROUTING -s 198.19.0.0/16 ! -o br-5a7e2c9d1f3b -j MASQUERADE
            -A POSTROUTING -s 198.18.0.2/32 -d 198.18.0.2/32 -p tcp -m tcp --dport 8080 -j MASQUERADE
            -A DOCKER -i docker0 -j RETURN
            -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 198.18.0.2:8080
            COMMIT

            """);

    /// <summary>kube-proxy in iptables mode: its MASQUERADE sits in KUBE-POSTROUTING behind a jump.</summary>
    public static void KubeProxyIptables(TestNamespace ns, bool randomFully)
    {
        string flag = randomFully ? " --random-fully" : string.Empty;
        LiveRules.IptablesRestore(ns, $"""
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :KUBE-MARK-MASQ - [0:0]
            :KUBE-POSTROUTING - [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
            :KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
            :KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]
            -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
            -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
            -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
            -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
            -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE{flag}
            -A KUBE-SERVICES -d 198.18.96.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
            -A KUBE-SVC-ERIFXISQEP7F7OF4 ! -s 198.19.0.0/16 -d 198.18.96.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ
            -A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns -> 198.19.0.2:53" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
            -A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns -> 198.19.0.3:53" -j KUBE-SEP-ZP3FB6NMPNCO4VBJ
            -A KUBE-SEP-IT2ZTR26TO4XFPTO -s 198.19.0.2/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ
            -A KUBE-SEP-IT2ZTR26TO4XFPTO -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 198.19.0.2:53
            -A KUBE-SEP-ZP3FB6NMPNCO4VBJ -s 198.19.0.3/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ
            -A KUBE-SEP-ZP3FB6NMPNCO4VBJ -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 198.19.0.3:53
            COMMIT

            """);
    }

    /// <summary>kube-proxy in nftables mode: its own table ip kube-proxy, masquerade fully-random.</summary>
    public static void KubeProxyNftables(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table ip kube-proxy {
            	comment "rules for kube-proxy"
            	set cluster-ips {
            		type ipv4_addr
            		comment "Active ClusterIPs"
            		elements = { 198.18.96.10 }
            	}
            	map service-ips {
            		type ipv4_addr . inet_proto . inet_service : verdict
            		comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"
            		elements = { 198.18.96.10 . udp . 53 : goto service-ERIFXISQ-kube-system/kube-dns/udp/dns }
            	}
            	chain mark-for-masquerade {
            		meta mark set meta mark | 0x00004000
            	}
            	chain masquerading {
            		meta mark & 0x00004000 == 0x00000000 return
            		meta mark set meta mark ^ 0x00004000
            		masquerade fully-random
            	}
            	chain nat-output {
            		type nat hook output priority -100; policy accept;
            		jump services
            	}
            	chain nat-postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		jump masquerading
            	}
            	chain nat-prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		jump services
            	}
            	chain services {
            		ip daddr . meta l4proto . th dport vmap @service-ips
            	}
            	chain service-ERIFXISQ-kube-system/kube-dns/udp/dns {
            		ip daddr 198.18.96.10 ip saddr != 198.19.0.0/16 jump mark-for-masquerade
            		numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-kube-system/kube-dns/udp/dns__198.19.0.2/53 }
            	}
            	chain endpoint-5OJB2KTY-kube-system/kube-dns/udp/dns__198.19.0.2/53 {
            		ip saddr 198.19.0.2 jump mark-for-masquerade
            		meta l4proto udp dnat to 198.19.0.2:53
            	}
            }

            """);

    /// <summary>flannel: FLANNEL-POSTRTG with RETURNs and two MASQUERADE --random-fully.</summary>
    public static void Flannel(TestNamespace ns) => LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :FLANNEL-POSTRTG - [0:0]
            -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
            -A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
            -A FLANNEL-POSTRTG -s 198.18.1.0/24 -d 198.18.0.0/16 -m comment --comment "flanneld masq" -j RETURN
            -A FLANNEL-POSTRTG -s 198.18.0.0/16 -d 198.18.1.0/24 -m comment --comment "flanneld masq" -j RETURN
            -A FLANNEL-POSTRTG ! -s 198.18.0.0/16 -d 198.18.1.0/24 -m comment --comment "flanneld masq" -j RETURN
            -A FLANNEL-POSTRTG -s 198.18.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
            -A FLANNEL-POSTRTG ! -s 198.18.0.0/16 -d 198.18.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
            COMMIT

            """);

    /// <summary>Calico: cali-nat-outgoing with ipset matches (the ipsets are created first).</summary>
    public static void Calico(TestNamespace ns)
    {
        ns.Exec("ipset", "create", "cali40masq-ipam-pools", "hash:net");
        ns.Exec("ipset", "add", "cali40masq-ipam-pools", "198.18.0.0/16");
        ns.Exec("ipset", "create", "cali40all-ipam-pools", "hash:net");
        ns.Exec("ipset", "add", "cali40all-ipam-pools", "198.18.0.0/16");
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :cali-POSTROUTING - [0:0]
            :cali-fip-snat - [0:0]
            :cali-nat-outgoing - [0:0]
            -A POSTROUTING -m comment --comment "cali:O3lYWMrLQYEMJtB5" -j cali-POSTROUTING
            -A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" -j cali-fip-snat
            -A cali-POSTROUTING -m comment --comment "cali:nYKhEzDlr11Jccal" -j cali-nat-outgoing
            -A cali-POSTROUTING -o tunl0 -m comment --comment "cali:SXWvdsbh4Mw7wOln" -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL -j MASQUERADE --random-fully
            -A cali-nat-outgoing -m comment --comment "cali:flqWnvo8yq4ULQLa" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE --random-fully
            COMMIT

            """);
    }

    /// <summary>Hand-written SNAT/MASQUERADE with every flag, port ranges and multiport, IPv4 and IPv6, counters that saw 7 packets.</summary>
    public static void Ranges(TestNamespace ns)
    {
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -o lo -p udp -m udp --dport 9 -j MASQUERADE --random
            -A POSTROUTING -s 198.18.1.0/24 -p tcp -m tcp --dport 443 -j SNAT --to-source 198.19.0.1-198.19.0.5:1000-2000 --random --persistent
            -A POSTROUTING -s 198.18.2.0/24 -p udp -m multiport --dports 53,123,5000:5010 -j SNAT --to-source 198.19.0.7 --random-fully
            -A POSTROUTING -s 198.18.3.0/24 -j SNAT --to-source 198.19.0.8-198.19.0.9 --persistent
            -A POSTROUTING -p tcp -m tcp --sport 1024:65535 -m conntrack --ctstate NEW,ESTABLISHED -j MASQUERADE --to-ports 20000-30000 --random-fully
            -A POSTROUTING -s 198.18.4.0/24 -p udp -m udp --sport 53 -j SNAT --to-source :4000-5000
            -A INPUT -s 198.18.5.0/24 -p tcp -j SNAT --to-source 198.19.1.1
            COMMIT

            """);
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 2001:db8:1::/64 -p tcp -j SNAT --to-source [2001:db8::1-2001:db8::9]:1000-2000 --random --persistent
            -A POSTROUTING -s 2001:db8:2::/64 ! -o eth+ -j SNAT --to-source 2001:db8::7 --random-fully
            -A POSTROUTING -d 2001:db8:3::1/128 -p udp -j MASQUERADE --to-ports 3000
            COMMIT

            """, "ip6tables-nft-restore");
        LiveRules.SendUdp(ns, 7);
    }

    /// <summary>Native nftables: masquerade and snat with flags, port ranges, named and anonymous sets, comments, a jump.</summary>
    public static void Natives(TestNamespace ns) => LiveRules.NftLoad(ns, """
            table inet natx {
            	set pools {
            		type ipv4_addr
            		flags interval
            		elements = { 198.18.0.0/16 }
            	}
            	chain post {
            		type nat hook postrouting priority srcnat; policy accept;
            		oifname != "lo" masquerade
            		ip saddr 198.18.0.0/15 ip daddr != 198.18.0.0/16 meta l4proto tcp masquerade to :1024-65535 random,persistent
            		ip6 saddr 2001:db8::/64 oifname "eth*" meta l4proto udp snat ip6 to [2001:db8::1]-[2001:db8::5]:1000-2000 fully-random comment "v6 pool"
            		ip saddr @pools snat ip to 198.19.0.1 persistent
            		tcp dport { 80, 443 } counter snat ip to 198.19.0.1-198.19.0.9:2000 random
            		ct state new,established udp sport 53 masquerade to :3000-4000
            		meta mark 0x10 iifname "br0" masquerade
            		jump more
            	}
            	chain more {
            		ip saddr { 198.18.7.0/24, 198.18.9.1 } masquerade fully-random
            	}
            }
            table ip6 v6nat {
            	chain post {
            		type nat hook postrouting priority 100; policy accept;
            		ip6 daddr 2001:db8:4::/48 counter snat to 2001:db8::9
            		oifname "wan0" masquerade random
            	}
            }

            """);

    /// <summary>libvirt on iptables-legacy (IPv4, with an unreachable chain) and an IPv6 legacy rule.</summary>
    public static void Legacy(TestNamespace ns)
    {
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :LIBVIRT_PRT - [0:0]
            :UNUSED - [0:0]
            -A POSTROUTING -j LIBVIRT_PRT
            -A LIBVIRT_PRT -s 198.18.122.0/24 -d 224.0.0.0/24 -j RETURN
            -A LIBVIRT_PRT -s 198.18.122.0/24 -d 255.255.255.255/32 -j RETURN
            -A LIBVIRT_PRT -s 198.18.122.0/24 ! -d 198.18.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535
            -A LIBVIRT_PRT -s 198.18.122.0/24 ! -d 198.18.122.0/24 -p udp -j MASQUERADE --to-ports 1024-65535
            -A LIBVIRT_PRT -s 198.18.122.0/24 ! -d 198.18.122.0/24 -j MASQUERADE
            -A UNUSED -o virbr0 -j SNAT --to-source 198.19.0.1 --random-fully
            COMMIT

            """, "iptables-legacy-restore");
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 2001:db8:122::/64 -o wan0 -j MASQUERADE --random-fully
            COMMIT

            """, "ip6tables-legacy-restore");
    }

    /// <summary>NAT rules in both backends: one iptables-legacy, one iptables-nft.</summary>
    public static void Mixed(TestNamespace ns)
    {
        LiveRules.IptablesRestore(ns, "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE\nCOMMIT\n", "iptables-legacy-restore");
        LiveRules.IptablesRestore(ns, "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 198.19.0.0/16 -j MASQUERADE --random-fully\nCOMMIT\n");
    }
}
