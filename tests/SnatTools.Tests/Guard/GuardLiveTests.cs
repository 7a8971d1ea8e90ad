using System.Diagnostics;
using SnatTools.Core;
using SnatTools.Core.Guard;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules;
using Xunit.Abstractions;

namespace SnatTools.Tests.Guard;

/// <summary>
/// The guard against the real kernel, each test in a namespace of its own: a Docker host whose
/// rules come back without random-fully when dockerd restarts gets the flag back within a second;
/// churn does not make it spin; it leaves nothing behind; it refuses owners with a setting; and
/// it polls iptables-legacy.
/// </summary>
public sealed class GuardLiveTests(ITestOutputHelper output)
{
    /// <summary>
    /// Docker 29's nftables firewall backend, as its nftabler writes it (moby/moby
    /// daemon/libnetwork/drivers/bridge/internal/nftabler, testdata/TestNftabler/*.golden): the
    /// base chain jumps per bridge through a verdict map to nat-postrouting-out__&lt;bridge&gt;.
    /// Our own lines, with test addresses.
    /// </summary>
    private const string DockerBridges = """
        table ip docker-bridges {
            map nat-postrouting-out-jumps {
                type ifname : verdict
                elements = { "docker0" : jump nat-postrouting-out__docker0 }
            }
            chain nat-POSTROUTING {
                type nat hook postrouting priority srcnat; policy accept;
                iifname vmap @nat-postrouting-out-jumps
            }
            chain nat-postrouting-out__docker0 {
                oifname != "docker0" ip saddr 198.18.0.0/16 counter masquerade comment "MASQUERADE"
            }
        }

        """;

    private static SnatGuardOptions Options(TestNamespace ns, SnatBackend? backend = null, TimeSpan? poll = null) => new()
    {
        Change = NatFlagChange.From(randomFully: true, random: null, persistent: null),
        NetworkNamespace = ns.Name,
        Backend = backend,
        PollInterval = poll ?? TimeSpan.FromSeconds(2),
    };

    /// <summary>
    /// Three dockerd restarts (table deleted and written again without the flag, one transaction
    /// each, as dockerd's nftabler does): each time the flag is back, and the latency is measured
    /// from just before nft ran, so it includes nft's start-up. By design a restart is read 200 ms
    /// after its last event (700 ms at most) and repaired in a few ms.
    /// False-failure rate: the median of three must stay within the 1 s promise, so at least two
    /// of three repairs must each be delayed by more than ~750 ms of scheduling stall on a correct
    /// guard; with independent stalls of that size at even 1 in 100 (a 2-core CI box under load),
    /// that is about 3 * 10^-4, under 1 in 1,000. Every repair must still land within 3 s. (More
    /// restarts within seconds would be a fight by the guard's own rule, 5 repairs in 30 s, and
    /// be backed off: that is the churn test's subject.)
    /// </summary>
    [SkippableFact]
    public void A_docker_nftables_ruleset_written_again_without_the_flag_gets_it_back_within_a_second()
    {
        Root.Require();
        using var ns = new TestNamespace("guard-dock");
        LiveRules.NftLoad(ns, DockerBridges);
        using var run = new GuardRun(Options(ns));

        var start = Assert.Single(run.Repairs);
        Assert.Equal(GuardTrigger.Start, start.Repair.Trigger);
        Assert.Equal("docker-bridges", start.Repair.Table);
        Assert.Equal("nat-postrouting-out__docker0", start.Repair.Chain);
        Assert.Contains("masquerade fully-random", ns.Exec("nft", "list", "table", "ip", "docker-bridges"));
        Assert.NotNull(run.Next(TimeSpan.Zero)); // take the start repair off the queue

        var latencies = new List<double>();
        for (int restart = 0; restart < 3; restart++)
        {
            var before = GuardRun.Clock.Elapsed;
            LiveRules.NftLoad(ns, "delete table ip docker-bridges\n" + DockerBridges);
            var repair = run.Next(TimeSpan.FromSeconds(5));
            Assert.True(repair is not null, $"restart {restart}: no repair within 5 s");
            Assert.Equal(GuardTrigger.RulesetChanged, repair.Value.Repair.Trigger);
            Assert.True(repair.Value.Repair.Applied);
            Assert.Equal(NatRangeFlags.ProtoRandomFully, repair.Value.Repair.NewFlags & NatRangeFlags.ProtoRandomFully);
            latencies.Add((repair.Value.At - before).TotalMilliseconds);
            Assert.Contains("masquerade fully-random", ns.Exec("nft", "list", "table", "ip", "docker-bridges"));
            Thread.Sleep(300); // let our own commit's events arrive and be recognised before the next restart
        }

        run.Stop();
        latencies.Sort();
        output.WriteLine($"nftables restart -> flag back (ms, from before nft ran): {string.Join(", ", latencies.Select(l => l.ToString("0")))}");
        output.WriteLine($"passes {run.Guard.Passes}, foreign events {run.Guard.ForeignEvents}, own events {run.Guard.OwnEvents}, guard CPU {run.CpuNanoseconds / 1e6:0} ms");
        Assert.True(latencies[1] <= 1000, $"median latency {latencies[1]:0} ms exceeds the 1 s promise");
        Assert.True(latencies[^1] <= 3000, $"a repair took {latencies[^1]:0} ms");
        Assert.Empty(run.Errors);
        // Its own commits were recognised: they cause no pass of their own (1 start pass + 1 per restart).
        Assert.True(run.Guard.OwnEvents > 0, "the guard's own commits were not recognised in the events");
        Assert.Equal(4, run.Guard.Passes);
    }

    /// <summary>
    /// Docker with iptables (iptables-nft): dockerd restores its nat table on restart. The same
    /// 1 s promise, same false-failure reasoning as above (median of three).
    /// </summary>
    [SkippableFact]
    public void A_docker_iptables_ruleset_restored_without_the_flag_gets_it_back_within_a_second()
    {
        Root.Require();
        using var ns = new TestNamespace("guard-dipt");
        RealisticRulesets.Docker(ns);
        using var run = new GuardRun(Options(ns));
        Assert.Equal(3, run.Repairs.Count);
        Assert.Equal(2, run.Repairs.Count(r => r.Repair.Owner == SnatOwner.Docker)); // the hairpin rule has no mark of Docker's
        while (run.Next(TimeSpan.Zero) is not null)
        {
        }

        var latencies = new List<double>();
        for (int restart = 0; restart < 3; restart++)
        {
            var before = GuardRun.Clock.Elapsed;
            RealisticRulesets.Docker(ns);
            var last = TimeSpan.Zero;
            for (int i = 0; i < 3; i++)
            {
                var repair = run.Next(TimeSpan.FromSeconds(5));
                Assert.True(repair is not null, $"restart {restart}: only {i} of 3 repairs within 5 s");
                last = repair.Value.At;
            }

            latencies.Add((last - before).TotalMilliseconds);
            string saved = ns.Exec("iptables-nft-save", "-t", "nat");
            Assert.Equal(3, saved.Split('\n').Count(l => l.Contains("-j MASQUERADE --random-fully", StringComparison.Ordinal)));
            Thread.Sleep(300);
        }

        run.Stop();
        latencies.Sort();
        output.WriteLine($"iptables-nft restore -> flag back (ms): {string.Join(", ", latencies.Select(l => l.ToString("0")))}");
        Assert.True(latencies[1] <= 1000, $"median latency {latencies[2]:0} ms exceeds the 1 s promise");
        Assert.Empty(run.Errors);
    }

    /// <summary>
    /// 100 changes a second for 3 s, each writing Docker's chain again without the flag (the
    /// worst case: every change undoes the repair), or each changing an unrelated table (nothing
    /// to repair at all). The guard must read at most once per settled
    /// burst or 700 ms, repair far fewer times than the ruleset changed, back off with a warning,
    /// and use little CPU. Bounds: 300 changes; reads ≤ 30 (one per 100 ms would already be a
    /// bug: the design allows ~5 plus backoff releases); guard CPU ≤ 1.5 s over the ~4 s run
    /// (measured ~0.1 s: each read is a few ms; a spinning loop burns a core, 4 s).
    /// </summary>
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Churn_of_a_hundred_changes_a_second_causes_no_loop_and_no_spin(bool undoesTheFlag)
    {
        Root.Require();
        using var ns = new TestNamespace("guard-churn");
        LiveRules.NftLoad(ns, DockerBridges + "table inet churn {\n chain c {\n }\n}\n");
        using var run = new GuardRun(Options(ns, SnatBackend.Nftables));
        int passesAtStart = run.Guard.Passes;

        var churn = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["netns", "exec", ns.Name, "nft", "-i"])
        {
            churn.ArgumentList.Add(argument);
        }

        int changes = 0;
        var clock = Stopwatch.StartNew();
        using (var nft = Process.Start(churn)!)
        {
            nft.OutputDataReceived += (_, _) => { };
            nft.ErrorDataReceived += (_, _) => { };
            nft.BeginOutputReadLine();
            nft.BeginErrorReadLine();
            for (; clock.Elapsed < TimeSpan.FromSeconds(3); changes++)
            {
                // One line, one transaction: the chain written again as dockerd would, without the flag;
                // or a change elsewhere that leaves the repaired rule alone.
                nft.StandardInput.WriteLine(undoesTheFlag
                    ? "flush chain ip docker-bridges nat-postrouting-out__docker0; add rule ip docker-bridges nat-postrouting-out__docker0 oifname != \"docker0\" ip saddr 198.18.0.0/16 counter masquerade comment \"MASQUERADE\""
                    : "flush chain inet churn c; add rule inet churn c ip saddr 198.18.0.1 counter accept");
                nft.StandardInput.Flush();
                var next = TimeSpan.FromMilliseconds(10 * (changes + 1));
                if (next > clock.Elapsed)
                {
                    Thread.Sleep(next - clock.Elapsed);
                }
            }

            nft.StandardInput.Close();
            Assert.True(nft.WaitForExit(30_000));
        }

        var churnTime = clock.Elapsed; // until nft committed its last change

        Thread.Sleep(1500); // the last burst settles and is repaired
        run.Stop();
        int repairs = run.Repairs.Count - 1;
        int passes = run.Guard.Passes - passesAtStart;
        output.WriteLine($"changes {changes} committed in {churnTime.TotalSeconds:0.00} s; passes {passes}; repairs {repairs}; foreign events {run.Guard.ForeignEvents}; own events {run.Guard.OwnEvents}; " +
                         $"guard CPU {run.CpuNanoseconds / 1e6:0} ms; warnings {run.Warnings.Count}");
        Assert.InRange(changes, 200, 400);
        Assert.True(changes / churnTime.TotalSeconds >= 50, $"the churn reached only {changes / churnTime.TotalSeconds:0} changes a second");
        Assert.InRange(passes, 1, 30);
        Assert.InRange(repairs, undoesTheFlag ? 1 : 0, undoesTheFlag ? passes : 0);
        Assert.True(repairs <= changes);
        if (repairs >= 5)
        {
            // Five repairs of one chain in 30 s is a fight: the guard must have said so and backed off.
            Assert.Contains(run.Warnings, w => w.Contains("lost the flag again", StringComparison.Ordinal));
        }

        Assert.InRange(run.CpuNanoseconds, 0, 1_500_000_000);
        Assert.Empty(run.Errors);
        // Whatever the churn left behind is repaired once it stops.
        Assert.Contains("masquerade fully-random", ns.Exec("nft", "list", "table", "ip", "docker-bridges"));
    }

    /// <summary>
    /// After a stop (cancellation) nothing of the guard is left: its multicast socket is gone from
    /// the namespace (/proc/net/netlink there lists no NETLINK_NETFILTER socket with groups), no
    /// thread of this process is left inside the namespace, and the thread ended within the stop
    /// latency. The SIGTERM path of a child pwsh is in tests/Pester/WatchSnatRule.Tests.ps1.
    /// </summary>
    [SkippableFact]
    public void After_a_stop_no_socket_thread_or_namespace_of_it_is_left()
    {
        Root.Require();
        string ownNamespace = File.ResolveLinkTarget("/proc/self/ns/net", false)!.Name;
        string testNamespace;
        using (var ns = new TestNamespace("guard-stop"))
        {
            LiveRules.NftLoad(ns, DockerBridges);
            testNamespace = File.ResolveLinkTarget($"/run/netns/{ns.Name}", false)?.Name ?? ns.Name;
            using var run = new GuardRun(Options(ns));
            Assert.Single(ListenerSockets(ns));
            run.Stop();
            output.WriteLine($"stopped in {run.StopTime.TotalMilliseconds:0} ms");
            Assert.True(run.StopTime <= SnatGuard.StopLatency + TimeSpan.FromSeconds(1), $"the stop took {run.StopTime.TotalMilliseconds:0} ms");
            Assert.Empty(ListenerSockets(ns));
            foreach (var task in Directory.GetDirectories("/proc/self/task"))
            {
                string? taskNamespace = TryNamespace(task);
                Assert.True(taskNamespace is null || taskNamespace == ownNamespace, $"thread {Path.GetFileName(task)} is still in {taskNamespace}");
            }
        }

        Assert.False(File.Exists($"/run/netns/{testNamespace}"));
    }

    /// <summary>
    /// A watched namespace that is deleted (a container that stopped) ends the watch with
    /// NetworkNamespaceNotFound at the next poll, instead of the guard's socket keeping the dead
    /// namespace alive for ever. Bound: poll 500 ms + 5 s of slack.
    /// </summary>
    [SkippableFact]
    public void A_watched_namespace_that_is_deleted_ends_the_watch()
    {
        Root.Require();
        var ns = new TestNamespace("guard-gone");
        try
        {
            LiveRules.NftLoad(ns, DockerBridges);
            using var run = new GuardRun(Options(ns, poll: TimeSpan.FromMilliseconds(500)));
            Cli.Run("ip", "netns", "del", ns.Name);
            var ended = Assert.IsType<SnatToolsException>(run.WaitEnded(TimeSpan.FromSeconds(5.5)));
            Assert.Equal(ErrorIds.NetworkNamespaceNotFound, ended.ErrorId);
            Assert.Contains("was deleted while it was watched", ended.Message, StringComparison.Ordinal);
        }
        finally
        {
            ns.Dispose();
        }
    }

    /// <summary>kube-proxy writes random-fully itself: its rule is reported with the advice and never touched.</summary>
    [SkippableFact]
    public void An_owner_with_a_setting_is_refused_with_its_advice()
    {
        Root.Require();
        using var ns = new TestNamespace("guard-kube");
        RealisticRulesets.KubeProxyIptables(ns, randomFully: false);
        using (var run = new GuardRun(Options(ns)))
        {
            var refusal = Assert.Single(run.Errors);
            Assert.Equal(ErrorIds.OwnerHasSetting, refusal.ErrorId);
            Assert.Contains(OwnerAdvice.For(SnatOwner.KubeProxy)!, refusal.Message, StringComparison.Ordinal);
            Assert.Empty(run.Repairs);

            // kube-proxy syncs again: still no fight, and the refusal is not repeated.
            RealisticRulesets.KubeProxyIptables(ns, randomFully: false);
            Assert.Null(run.Next(TimeSpan.FromSeconds(1.5)));
            run.Stop();
            Assert.Single(run.Errors);
        }

        Assert.DoesNotContain("--random-fully", ns.Exec("iptables-nft-save", "-t", "nat"));

        var explicitOwner = Options(ns) with { Owners = [SnatOwner.KubeProxy] };
        var thrown = Assert.Throws<SnatToolsException>(() => new GuardRun(explicitOwner));
        Assert.Equal(ErrorIds.OwnerHasSetting, thrown.ErrorId);
    }

    /// <summary>
    /// iptables-legacy sends no events: the guard polls (here every 500 ms) and repairs within
    /// PollInterval + margin. The bound, 500 ms + 1.5 s, leaves 1.5 s for one table read and
    /// replace (a few ms) under CI load; false failure needs a stall of over a second in each of
    /// the three rounds checked (the median is asserted).
    /// </summary>
    [SkippableFact]
    public void Iptables_legacy_is_polled_and_repaired_within_the_poll_interval()
    {
        Root.Require();
        using var ns = new TestNamespace("guard-lgcy");
        const string Rules = "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE\nCOMMIT\n";
        LiveRules.IptablesRestore(ns, Rules, "iptables-legacy-restore");
        var poll = TimeSpan.FromMilliseconds(500);
        using var run = new GuardRun(Options(ns, SnatBackend.IptablesLegacy, poll));
        Assert.Single(run.Repairs);
        Assert.NotNull(run.Next(TimeSpan.Zero));
        Assert.Contains("--random-fully", ns.Exec("iptables-legacy-save", "-t", "nat"));

        // Traffic alone changes counters, not the fingerprint: no pass.
        int passes = run.Guard.Passes;
        LiveRules.SendUdp(ns, 5);
        Thread.Sleep(1200);
        Assert.True(passes == run.Guard.Passes, string.Join("\n", run.Verbose));

        var latencies = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            var before = GuardRun.Clock.Elapsed;
            LiveRules.IptablesRestore(ns, Rules, "iptables-legacy-restore");
            var repair = run.Next(TimeSpan.FromSeconds(10));
            Assert.True(repair is not null, $"round {round}: no repair within 10 s");
            Assert.Equal(GuardTrigger.LegacyTableChanged, repair.Value.Repair.Trigger);
            latencies.Add((repair.Value.At - before).TotalMilliseconds);
            Assert.Contains("--random-fully", ns.Exec("iptables-legacy-save", "-t", "nat"));
        }

        run.Stop();
        latencies.Sort();
        output.WriteLine($"legacy restore -> flag back (ms, poll 500 ms): {string.Join(", ", latencies.Select(l => l.ToString("0")))}");
        Assert.True(latencies[1] <= (poll + TimeSpan.FromSeconds(1.5)).TotalMilliseconds, $"median {latencies[1]:0} ms");
        Assert.Empty(run.Errors);
    }

    /// <summary>An event queue that overflows (ENOBUFS, provoked with a tiny receive buffer) makes the guard read everything again, not fail.</summary>
    [SkippableFact]
    public void An_event_overflow_triggers_a_full_read_not_a_crash()
    {
        Root.Require();
        using var ns = new TestNamespace("guard-nobuf");
        LiveRules.NftLoad(ns, DockerBridges);
        using var run = new GuardRun(Options(ns, SnatBackend.Nftables), () => NftEventSocket.Open(ns.Name, receiveBuffer: 1024));
        Assert.NotNull(run.Next(TimeSpan.Zero));

        // One transaction with many changes overflows a 1 KiB (2 KiB charged) queue at once.
        var big = new System.Text.StringBuilder("delete table ip docker-bridges\n" + DockerBridges);
        for (int i = 0; i < 200; i++)
        {
            big.Append(System.Globalization.CultureInfo.InvariantCulture, $"add chain ip docker-bridges filler{i}\n");
        }

        LiveRules.NftLoad(ns, big.ToString());
        var repair = run.Next(TimeSpan.FromSeconds(5));
        Assert.True(repair is not null, "no repair after the overflow");
        Assert.Equal(GuardTrigger.EventOverflow, repair.Value.Repair.Trigger);
        Assert.Contains("masquerade fully-random", ns.Exec("nft", "list", "table", "ip", "docker-bridges"));
        run.Stop();
        Assert.Empty(run.Errors);
    }

    /// <summary>NETLINK_NETFILTER (12) sockets with multicast groups in the namespace, as /proc/net/netlink lists them there.</summary>
    private static List<string> ListenerSockets(TestNamespace ns) =>
        ns.Exec("cat", "/proc/net/netlink").Split('\n').Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[1] == "12" && f[3] != "00000000")
            .Select(f => string.Join(' ', f))
            .ToList();

    private static string? TryNamespace(string task)
    {
        try
        {
            return File.ResolveLinkTarget(Path.Combine(task, "ns/net"), false)?.Name;
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile
        }
    }
}
