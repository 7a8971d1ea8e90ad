using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

public sealed class GetSnatRuleCmdletTests
{
    private const string Mixed = """
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
        -A POSTROUTING -s 198.19.0.0/16 -j MASQUERADE --random-fully
        COMMIT

        """;

    [SkippableFact]
    public void Piping_run_netns_audits_each_namespace_and_finds_rules_without_random_fully()
    {
        Root.Require();
        using var ns = new TestNamespace("cmdpipe");
        LiveRules.IptablesRestore(ns, Mixed);
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke(
            "Get-ChildItem /run/netns/$ns | Get-SnatRule | Where-Object { -not $_.RandomFully }",
            new Dictionary<string, object?> { ["ns"] = ns.Name });

        Assert.Empty(errors);
        var rule = Assert.IsType<SnatRule>(Assert.Single(output).BaseObject);
        Assert.Equal("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE", rule.Text);
        Assert.Equal($"/run/netns/{ns.Name}", rule.NetworkNamespace);
    }

    [SkippableFact]
    public void Filters_select_by_family_backend_table_and_chain_with_wildcards()
    {
        Root.Require();
        using var ns = new TestNamespace("cmdfilter");
        LiveRules.IptablesRestore(ns, Mixed);
        LiveRules.IptablesRestore(ns, "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n", "ip6tables-nft-restore");
        LiveRules.NftLoad(ns, "table inet mine {\n chain out {\n type nat hook postrouting priority 100; policy accept;\n masquerade fully-random\n }\n}\n");
        using var host = new PowerShellHost();
        var variables = new Dictionary<string, object?> { ["ns"] = ns.Name };

        int Count(string arguments) => host.Invoke($"@(Get-SnatRule -NetworkNamespace $ns {arguments}).Count", variables).Output.Single().BaseObject is int n ? n : -1;

        Assert.Equal(4, Count(string.Empty));
        Assert.Equal(2, Count("-Family IPv6"));
        Assert.Equal(3, Count("-Family IPv4"));
        Assert.Equal(1, Count("-Backend Nftables"));
        Assert.Equal(3, Count("-Table n*"));
        Assert.Equal(1, Count("-Table mine"));
        Assert.Equal(3, Count("-Chain POSTROUTING"));
        Assert.Equal(1, Count("-Chain o?t"));
    }

    [SkippableFact]
    public void The_backend_mismatch_warning_reaches_the_warning_stream()
    {
        Root.Require();
        using var ns = new TestNamespace("cmdwarn");
        LiveRules.IptablesRestore(ns, Mixed);
        LiveRules.IptablesRestore(ns, Mixed, "iptables-legacy-restore");
        using var host = new PowerShellHost();

        var (output, _) = host.Invoke("Get-SnatRule -NetworkNamespace $ns 3>&1", new Dictionary<string, object?> { ["ns"] = ns.Name });

        Assert.Equal(4, output.Count(o => o.BaseObject is SnatRule));
        var warning = Assert.Single(output.Select(o => o.BaseObject).OfType<WarningRecord>());
        Assert.StartsWith(ErrorIds.BackendMismatch, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_namespace_is_a_non_terminating_error_per_namespace()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("'snattools-nope-a','snattools-nope-b' | ForEach-Object { [pscustomobject]@{ NetworkNamespace = $_ } } | Get-SnatRule");
        Assert.Empty(output);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith(ErrorIds.NetworkNamespaceNotFound + ",", e.FullyQualifiedErrorId, StringComparison.Ordinal));
    }

    [Fact]
    public void Inet_is_not_a_family_to_ask_for()
    {
        using var host = new PowerShellHost();
        var (output, _) = host.Invoke("try { Get-SnatRule -Family Inet; 'not stopped' } catch { $_.FullyQualifiedErrorId }");
        Assert.StartsWith("ParameterArgumentValidationError", Assert.Single(output).ToString(), StringComparison.Ordinal);
    }
}
