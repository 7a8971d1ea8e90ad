using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SnatTools.Benchmarks;

/// <summary>
/// A kube-proxy (iptables mode) nat table in iptables-restore format: per service a KUBE-SVC
/// chain and three KUBE-SEP chains (DNAT endpoints), all hanging off KUBE-SERVICES (prerouting
/// and output), plus KUBE-POSTROUTING with the MASQUERADE rule. Addresses stay in 198.18.0.0/15.
/// </summary>
public static class KubeProxyNatTable
{
    public const int Endpoints = 3;

    public static string Generate(int services)
    {
        var chains = new StringBuilder();
        var rules = new StringBuilder();
        for (int i = 0; i < services; i++)
        {
            string svc = "KUBE-SVC-" + Hash($"svc{i}");
            string ip = $"198.18.{i / 250}.{(i % 250) + 1}";
            string name = $"ns{i % 50}/svc{i}:http";
            chains.Append(':').Append(svc).Append(" - [0:0]\n");
            rules.Append(CultureInfo.InvariantCulture, $"-A KUBE-SERVICES -d {ip}/32 -p tcp -m comment --comment \"{name} cluster IP\" -m tcp --dport 80 -j {svc}\n");
            rules.Append(CultureInfo.InvariantCulture, $"-A {svc} ! -s 198.19.0.0/16 -d {ip}/32 -p tcp -m comment --comment \"{name} cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ\n");
            for (int k = 0; k < Endpoints; k++)
            {
                string sep = "KUBE-SEP-" + Hash($"sep{i}-{k}");
                int n = (i * Endpoints) + k;
                string endpoint = $"198.19.{n / 250 % 256}.{(n % 250) + 1}";
                chains.Append(':').Append(sep).Append(" - [0:0]\n");
                string probability = k switch { 0 => " -m statistic --mode random --probability 0.33333333349", 1 => " -m statistic --mode random --probability 0.50000000000", _ => string.Empty };
                rules.Append(CultureInfo.InvariantCulture, $"-A {svc} -m comment --comment \"{name} -> {endpoint}:8080\"{probability} -j {sep}\n");
                rules.Append(CultureInfo.InvariantCulture, $"-A {sep} -s {endpoint}/32 -m comment --comment \"{name}\" -j KUBE-MARK-MASQ\n");
                rules.Append(CultureInfo.InvariantCulture, $"-A {sep} -p tcp -m comment --comment \"{name}\" -m tcp -j DNAT --to-destination {endpoint}:8080\n");
            }
        }

        return "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" +
               ":KUBE-SERVICES - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\n" +
               chains +
               "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n" +
               "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n" +
               "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n" +
               "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n" +
               "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n" +
               "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n" +
               "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE\n" +
               rules +
               "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n" +
               "COMMIT\n";
    }

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}
