using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

public sealed class SetSnatRuleCmdletTests
{
    private const string DockerLike = """
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :CHURN - [0:0]
        -A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
        COMMIT

        """;

    [SkippableFact]
    public void WhatIf_changes_nothing()
    {
        Root.Require();
        using var ns = new TestNamespace("setwhatif");
        RealisticRulesets.Docker(ns);
        RealisticRulesets.Natives(ns);
        var before = RulesetSnapshot.Take(ns);
        uint generation = Generation(ns);
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns -AllChains | Set-SnatRule -RandomFully -Random:$false -WhatIf -PassThru", Variables(ns));

        Assert.Empty(errors);
        Assert.Empty(output);
        Assert.Equal(generation, Generation(ns));
        Assert.Equal(before.Texts, RulesetSnapshot.Take(ns).Texts);
    }

    [SkippableFact]
    public void The_confirmation_names_the_rule_where_it_lives_and_exactly_what_changes()
    {
        Root.Require();
        using var ns = new TestNamespace("setdescribe");
        RealisticRulesets.Ranges(ns);
        var rules = LiveRules.Read(ns);
        var writer = new SnatRuleWriter(NatFlagChange.From(randomFully: true, random: false, persistent: null));

        var snat = rules.Single(r => r.Text.StartsWith("-A POSTROUTING -s 198.18.1.0/24", StringComparison.Ordinal));
        Assert.Equal("add --random-fully, remove --random (NAT range flags 0xf -> 0x1b)", writer.Describe(snat));
        Assert.Equal($"namespace {ns.Name}, IptablesNft, table ip nat, chain POSTROUTING, handle {snat.Handle}", SnatRuleWriter.Location(snat));
        var already = rules.Single(r => r.Text.Contains("--to-source 198.19.0.7 --random-fully", StringComparison.Ordinal));
        Assert.Equal("nothing", writer.Describe(already));
    }

    [SkippableFact]
    public void A_rule_already_in_the_wanted_state_is_not_written_and_says_so()
    {
        Root.Require();
        using var ns = new TestNamespace("setalready");
        RealisticRulesets.Flannel(ns);
        uint generation = Generation(ns);
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns | Set-SnatRule -RandomFully -PassThru -Verbose 4>&1", Variables(ns));

        Assert.Empty(errors);
        var verbose = output.Select(o => o.BaseObject).OfType<VerboseRecord>().ToList();
        Assert.Equal(2, verbose.Count);
        Assert.All(verbose, v => Assert.Contains("already has the wanted flags", v.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(output, o => o.BaseObject is SnatRule);
        Assert.Equal(generation, Generation(ns));
    }

    [SkippableFact]
    public void A_flag_is_cleared_with_colon_false_and_the_owner_is_warned_about()
    {
        Root.Require();
        using var ns = new TestNamespace("setclear");
        RealisticRulesets.KubeProxyIptables(ns, randomFully: true);
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns | Set-SnatRule -RandomFully:$false -PassThru 3>&1", Variables(ns));

        Assert.Empty(errors);
        var rule = Assert.IsType<SnatRule>(Assert.Single(output, o => o.BaseObject is SnatRule).BaseObject);
        Assert.Equal("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE", rule.Text);
        var warning = Assert.IsType<WarningRecord>(Assert.Single(output, o => o.BaseObject is WarningRecord).BaseObject);
        Assert.Contains("kube-proxy rewrites its chains", warning.Message, StringComparison.Ordinal);
        Assert.Contains("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE\n",
            ns.Exec("iptables-nft-save", "-t", "nat"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Each_known_owner_is_warned_about_once_with_its_advice_and_an_unknown_rule_not_at_all()
    {
        Root.Require();
        using var ns = new TestNamespace("setwarn");
        // lxc-net: tables ip/ip6 lxc (Lxc) and bare iptables MASQUERADEs in both backends (Unknown).
        RealisticRulesets.Lxc(ns);
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns | Set-SnatRule -RandomFully -PassThru 3>&1", Variables(ns));

        Assert.Empty(errors);
        Assert.Equal(6, output.Count(o => o.BaseObject is SnatRule));
        var warning = Assert.IsType<WarningRecord>(Assert.Single(output, o => o.BaseObject is WarningRecord).BaseObject);
        Assert.Contains("belongs to Lxc (table ip lxc). " + OwnerAdvice.For(SnatOwner.Lxc), warning.Message, StringComparison.Ordinal);
        Assert.Contains(output.Select(o => o.BaseObject).OfType<SnatRule>(), r => r.Owner == SnatOwner.Unknown);
    }

    [SkippableFact]
    public void A_rule_named_by_handle_or_by_legacy_position_is_changed_and_passed_through_as_the_kernel_holds_it()
    {
        Root.Require();
        using var ns = new TestNamespace("setnamed");
        LiveRules.IptablesRestore(ns, DockerLike);
        LiveRules.IptablesRestore(ns, DockerLike, "iptables-legacy-restore");
        ulong handle = LiveRules.Read(ns).Single(r => r.Backend == SnatBackend.IptablesNft).Handle!.Value;
        using var host = new PowerShellHost();
        var variables = Variables(ns);
        variables["handle"] = handle;

        var byHandle = host.Invoke("Set-SnatRule -NetworkNamespace $ns -Table nat -Chain POSTROUTING -Handle $handle -Family IPv4 -RandomFully -PassThru", variables);
        var byPosition = host.Invoke("Set-SnatRule -NetworkNamespace $ns -Table nat -Chain POSTROUTING -Position 1 -RandomFully -PassThru", variables);
        var missing = host.Invoke("Set-SnatRule -NetworkNamespace $ns -Table nat -Chain POSTROUTING -Handle 999999 -RandomFully", variables);

        Assert.Empty(byHandle.Errors);
        var nft = Assert.IsType<SnatRule>(Assert.Single(byHandle.Output).BaseObject);
        Assert.Equal((SnatBackend.IptablesNft, true, 1), (nft.Backend, nft.RandomFully, nft.Position));
        // Older kernels give a replaced rule a new handle, 6.x keeps it; either way the kernel's own answer is passed on.
        Assert.NotNull(nft.Handle);
        Assert.Empty(byPosition.Errors);
        var legacy = Assert.IsType<SnatRule>(Assert.Single(byPosition.Output).BaseObject);
        Assert.Equal((SnatBackend.IptablesLegacy, true, "-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully"), (legacy.Backend, legacy.RandomFully, legacy.Text));
        Assert.StartsWith(ErrorIds.RuleNotFound + ",", Assert.Single(missing.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully\n", ns.Exec("iptables-legacy-save"), StringComparison.Ordinal);
        Assert.Contains("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully\n", ns.Exec("iptables-nft-save"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_rule_with_parts_not_decoded_for_display_is_repaired_all_the_same()
    {
        Root.Require();
        using var ns = new TestNamespace("setundecoded");
        LiveRules.NftLoad(ns, """
            table ip natu {
            	chain post {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr 198.18.0.0/16 limit rate 10/second masquerade
            		ip saddr 198.19.0.0/16 masquerade
            	}
            }

            """);
        LiveRules.IptablesRestore(ns, "*nat\n-A POSTROUTING -m policy --dir out --pol none -j MASQUERADE\nCOMMIT\n", "iptables-legacy-restore");
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns | Set-SnatRule -RandomFully -PassThru", Variables(ns));

        Assert.Empty(errors);
        Assert.Equal(3, output.Count);
        Assert.All(output, o => Assert.True(((SnatRule)o.BaseObject).RandomFully));
        string ruleset = ns.Exec("nft", "list", "ruleset");
        Assert.Contains("ip saddr 198.18.0.0/16 limit rate 10/second masquerade fully-random\n", ruleset, StringComparison.Ordinal);
        Assert.Contains("ip saddr 198.19.0.0/16 masquerade fully-random\n", ruleset, StringComparison.Ordinal);
        Assert.Contains("-A POSTROUTING -m policy --dir out --pol none -j MASQUERADE --random-fully\n", ns.Exec("iptables-legacy-save"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_generation_that_keeps_moving_ends_in_rule_changed_with_nothing_applied()
    {
        Root.Require();
        using var ns = new TestNamespace("setmoving");
        LiveRules.IptablesRestore(ns, DockerLike);
        var rules = LiveRules.Read(ns);
        string before = ns.Exec("iptables-nft-save", "-t", "nat");
        var writer = new SnatRuleWriter(NatFlagChange.From(true, null, null))
        {
            // Another writer commits between every read and every batch.
            BeforeNftCommit = () => ns.Exec("iptables-nft", "-t", "nat", "-A", "CHURN", "-j", "RETURN"),
        };

        var change = Assert.Single(writer.Apply(rules));

        Assert.Equal(SnatRuleOutcome.Failed, change.Outcome);
        Assert.Equal(ErrorIds.RuleChanged, change.Error!.ErrorId);
        Assert.Equal(16, change.GenerationRetries);
        string after = ns.Exec("iptables-nft-save", "-t", "nat");
        Assert.Equal(16, after.Split('\n').Count(l => l == "-A CHURN -j RETURN"));
        Assert.Equal(before.Split('\n').Where(l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal)), after.Split('\n').Where(l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void A_generation_that_moves_once_is_retried_and_the_change_applied_once()
    {
        Root.Require();
        using var ns = new TestNamespace("setonce");
        LiveRules.IptablesRestore(ns, DockerLike);
        int commits = 0;
        var writer = new SnatRuleWriter(NatFlagChange.From(true, null, null))
        {
            BeforeNftCommit = () =>
            {
                if (commits++ == 0)
                {
                    ns.Exec("iptables-nft", "-t", "nat", "-A", "CHURN", "-j", "RETURN");
                }
            },
        };

        var change = Assert.Single(writer.Apply(LiveRules.Read(ns)));

        Assert.Equal((SnatRuleOutcome.Changed, 1), (change.Outcome, change.GenerationRetries));
        Assert.Equal(change.NewHandle, LiveRules.Read(ns).Single().Handle);
        Assert.Equal(["-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully"],
            ns.Exec("iptables-nft-save", "-t", "nat").Split('\n').Where(l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void A_rule_deleted_and_added_again_with_the_same_text_is_not_matched_by_its_text()
    {
        Root.Require();
        using var ns = new TestNamespace("setstale");
        LiveRules.IptablesRestore(ns, DockerLike);
        var stale = LiveRules.Read(ns);
        ns.Exec("iptables-nft", "-t", "nat", "-D", "POSTROUTING", "1");
        ns.Exec("iptables-nft", "-t", "nat", "-A", "POSTROUTING", "-s", "198.18.0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE");
        using var host = new PowerShellHost();
        var variables = Variables(ns);
        variables["stale"] = stale;

        var (output, errors) = host.Invoke("$stale | Set-SnatRule -RandomFully -PassThru", variables);

        Assert.Empty(output);
        Assert.StartsWith(ErrorIds.RuleChanged + ",", Assert.Single(errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE\n", ns.Exec("iptables-nft-save"), StringComparison.Ordinal);
    }

    [Fact]
    public void Saying_nothing_to_change_is_an_error()
    {
        using var host = new PowerShellHost();
        var (output, _) = host.Invoke("try { Set-SnatRule -Table nat -Chain POSTROUTING -Handle 1; 'not stopped' } catch { $_.FullyQualifiedErrorId }");
        Assert.StartsWith(ErrorIds.InvalidArgument + ",", Assert.Single(output).ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Without_cap_net_admin_the_command_stops_with_permission_denied()
    {
        Root.Require();
        using var ns = new TestNamespace("setnocap");
        LiveRules.IptablesRestore(ns, DockerLike);
        string module = Path.Combine(AppContext.BaseDirectory, "SnatTools.dll");
        string script = $"Import-Module '{module}'; " +
                        "try { Set-SnatRule -NetworkNamespace $env:NS -Table nat -Chain POSTROUTING -Handle 1 -RandomFully -ErrorAction Stop; 'not stopped' } " +
                        "catch { $_.FullyQualifiedErrorId }";
        string before = RulesetSnapshot.Take(ns).Texts["iptables-nft-save"];

        // Root keeps CAP_SYS_ADMIN (so setns works) but loses CAP_NET_ADMIN, as an unprivileged admin tool would.
        var (exit, stdout, stderr) = Cli.Execute(null, "env", $"NS={ns.Name}", "setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", "--",
            "dotnet", "pwsh", "-NoProfile", "-NonInteractive", "-Command", script);

        Assert.True(exit == 0, stderr + stdout);
        Assert.StartsWith(ErrorIds.PermissionDenied + ",", stdout.Trim(), StringComparison.Ordinal);
        Assert.Equal(before, RulesetSnapshot.Take(ns).Texts["iptables-nft-save"]);
    }

    private static Dictionary<string, object?> Variables(TestNamespace ns) => new() { ["ns"] = ns.Name };

    private static uint Generation(TestNamespace ns)
    {
        using var nft = NftReader.Open(ns.Name);
        return nft.GetGeneration();
    }
}
