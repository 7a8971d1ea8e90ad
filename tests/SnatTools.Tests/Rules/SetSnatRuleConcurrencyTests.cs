using System.Diagnostics;
using System.Globalization;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Set-SnatRule while another process keeps changing other chains of the same tables, as
/// kube-proxy or Docker would: nothing may be lost, duplicated or reverted, and the other
/// process must never see an error.
/// </summary>
public sealed class SetSnatRuleConcurrencyTests(ITestOutputHelper output)
{
    private const int Toggles = 60;

    [SkippableFact]
    public void Toggling_nftables_and_iptables_nft_rules_while_another_process_adds_and_deletes_rules_keeps_every_rule_once()
    {
        Root.Require();
        using var ns = new TestNamespace("setchurn");
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :CHURN - [0:0]
            -A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
            -A POSTROUTING -s 198.19.0.0/16 -p tcp -m multiport --dports 80,443 -j SNAT --to-source 198.18.0.1
            COMMIT

            """);
        LiveRules.NftLoad(ns, """
            table inet natx {
            	chain post {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr 198.18.0.0/16 tcp dport { 80, 443 } masquerade comment "web"
            	}
            	chain churn {
            	}
            }

            """);
        var rulesBefore = LiveRules.Read(ns).Select(r => (r.Backend, r.Table, r.Chain, r.Position, r.Text)).ToList();

        // Each round: two iptables-nft commands on CHURN and two nft commands on churn, every one a
        // commit that moves the generation; at the end exactly the last round's rules remain.
        using var churn = Churn.Start(ns, """
            i=0
            while [ ! -e "$STOP" ]; do
              i=$((i+1))
              iptables-nft -t nat -A CHURN -m comment --comment "c$i" -j RETURN || exit 10
              if [ $i -gt 1 ]; then iptables-nft -t nat -D CHURN -m comment --comment "c$((i-1))" -j RETURN || exit 11; fi
              nft flush chain inet natx churn || exit 12
              nft add rule inet natx churn counter comment "\"n$i\"" || exit 13
              echo $i > "$PROGRESS"
            done
            """);

        int retries = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        for (int toggle = 0; toggle < Toggles; toggle++)
        {
            bool on = toggle % 2 == 0;
            var rules = LiveRules.Read(ns, allChains: false);
            var changes = new SnatRuleWriter(NatFlagChange.From(on, null, null)).Apply(rules).ToList();
            retries += changes.GroupBy(c => c.Rule.Table).Sum(table => table.Max(c => c.GenerationRetries));
            refused += changes.Count(c => c.Outcome == SnatRuleOutcome.Failed);
            Assert.All(changes, c => Assert.True(c.Outcome == SnatRuleOutcome.Changed, $"{c.Rule.Text}: {c.Outcome} {c.Error?.Message}"));
            Assert.All(LiveRules.Read(ns, allChains: false), r => Assert.Equal(on, r.RandomFully));
        }

        clock.Stop();
        int rounds = churn.Stop();
        output.WriteLine($"{Toggles} toggles of 3 rules in 2 tables in {clock.ElapsedMilliseconds} ms while the other process ran {rounds} rounds " +
                         $"({rounds * 4} commits): {retries} generation retries, {refused} refusals.");

        Assert.True(rounds > 0, "the other process never completed a round");
        var rulesAfter = LiveRules.Read(ns).Select(r => (r.Backend, r.Table, r.Chain, r.Position, r.Text.Replace(" --random-fully", string.Empty, StringComparison.Ordinal))).ToList();
        Assert.Equal(rulesBefore, rulesAfter);
        string save = ns.Exec("iptables-nft-save", "-t", "nat");
        Assert.Equal([$"-A CHURN -m comment --comment c{rounds} -j RETURN"], save.Split('\n').Where(l => l.StartsWith("-A CHURN", StringComparison.Ordinal)));
        Assert.Equal(2, save.Split('\n').Count(l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal)));
        string churnChain = ns.Exec("nft", "list", "chain", "inet", "natx", "churn");
        Assert.Single(churnChain.Split('\n'), l => l.Contains("comment", StringComparison.Ordinal));
        Assert.Contains($"comment \"n{rounds}\"", churnChain, StringComparison.Ordinal);
        Assert.Single(ns.Exec("nft", "list", "chain", "inet", "natx", "post").Split('\n'), l => l.Contains("masquerade", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Toggling_an_iptables_legacy_rule_while_iptables_legacy_appends_in_a_loop_loses_no_append()
    {
        Root.Require();
        using var ns = new TestNamespace("setlegchurn");
        LiveRules.IptablesRestore(ns, """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :CHURN - [0:0]
            -A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
            COMMIT

            """, "iptables-legacy-restore");

        using var churn = Churn.Start(ns, """
            i=0
            while [ ! -e "$STOP" ]; do
              i=$((i+1))
              iptables-legacy -w -t nat -A CHURN -m comment --comment "c$i" -j RETURN || exit 10
              echo $i > "$PROGRESS"
            done
            """);

        var clock = Stopwatch.StartNew();
        for (int toggle = 0; toggle < Toggles; toggle++)
        {
            bool on = toggle % 2 == 0;
            var changes = new SnatRuleWriter(NatFlagChange.From(on, null, null)).Apply(LiveRules.Read(ns, allChains: false)).ToList();
            Assert.Equal(SnatRuleOutcome.Changed, Assert.Single(changes).Outcome);
            Assert.Equal(on, Assert.Single(LiveRules.Read(ns, allChains: false)).RandomFully);
        }

        clock.Stop();
        int rounds = churn.Stop();
        output.WriteLine($"{Toggles} legacy toggles in {clock.ElapsedMilliseconds} ms while iptables-legacy -w appended {rounds} rules.");

        Assert.True(rounds > 0, "iptables-legacy never appended");
        string save = ns.Exec("iptables-legacy-save", "-t", "nat");
        Assert.Equal(
            Enumerable.Range(1, rounds).Select(i => $"-A CHURN -m comment --comment c{i} -j RETURN"),
            save.Split('\n').Where(l => l.StartsWith("-A CHURN", StringComparison.Ordinal)));
        Assert.Equal(["-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE"], save.Split('\n').Where(l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal)));
    }

    /// <summary>A bash loop inside the namespace that runs until told to stop and records the rounds it completed.</summary>
    private sealed class Churn : IDisposable
    {
        private readonly Process _process;
        private readonly string _directory;

        private Churn(Process process, string directory)
        {
            _process = process;
            _directory = directory;
        }

        public static Churn Start(TestNamespace ns, string script)
        {
            string directory = Directory.CreateTempSubdirectory("snattools-churn-").FullName;
            var start = new ProcessStartInfo("ip") { RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in (string[])["netns", "exec", ns.Name, "bash", "-c", script])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["STOP"] = Path.Combine(directory, "stop");
            start.Environment["PROGRESS"] = Path.Combine(directory, "progress");
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the churn loop");
            var churn = new Churn(process, directory);
            // Let it get going so the writes really overlap with it.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!File.Exists(start.Environment["PROGRESS"]) && !process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }

            return churn;
        }

        /// <summary>Stops the loop after its current round; returns the rounds it completed. Fails if any of its commands failed.</summary>
        public int Stop()
        {
            File.WriteAllText(Path.Combine(_directory, "stop"), string.Empty);
            Assert.True(_process.WaitForExit(30_000), "the churn loop did not stop");
            Assert.True(_process.ExitCode == 0, $"a command of the other process failed (exit {_process.ExitCode}): {_process.StandardError.ReadToEnd()}");
            return int.Parse(File.ReadAllText(Path.Combine(_directory, "progress")).Trim(), CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                File.WriteAllText(Path.Combine(_directory, "stop"), string.Empty);
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
