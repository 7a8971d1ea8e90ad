using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>Loading rulesets with the real tools and reading them back with the module.</summary>
internal static class LiveRules
{
    public static void IptablesRestore(TestNamespace ns, string rules, string tool = "iptables-nft-restore") =>
        ns.ExecWithInput(rules.Replace("\r", string.Empty, StringComparison.Ordinal), tool);

    public static void NftLoad(TestNamespace ns, string ruleset) => ns.ExecWithInput(ruleset, "nft", "-f", "-");

    public static List<SnatRule> Read(TestNamespace ns, bool allChains = true, List<string>? warnings = null, SnatBackend? backend = null) =>
        new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = ns.Name, AllChains = allChains, Backend = backend }, w => warnings?.Add(w)).Read().ToList();

    /// <summary>New UDP flows from the namespace to 127.0.0.1:9 (each passes nat POSTROUTING once).</summary>
    public static void SendUdp(TestNamespace ns, int flows) =>
        ns.Exec("bash", "-c", $"for i in $(seq 1 {flows}); do echo 2>/dev/null > /dev/udp/127.0.0.1/9 || true; done");
}
