using SnatTools.Core.Netlink;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules.Conformance;

/// <summary>
/// The m..z match lines the corpus cannot hold because the kernel wants something first: an ipset,
/// a RATEEST estimator, an nfacct object (set, rateest, nfacct), or a hook other than POSTROUTING
/// (mac, socket, osf, policy --dir in). Each is loaded in front of -j MASQUERADE into a user chain
/// no base chain jumps to (so no hook check applies), in one iptables-restore per backend and
/// family, after creating those objects in the namespace: Get-SnatRule -AllChains reads each line as
/// iptables-save prints it, and Set-SnatRule -RandomFully changes it only by " --random-fully"
/// (rateest and nfacct carry kernel pointers after their user part).
/// </summary>
public sealed class XtPreparedMatchTests(ITestOutputHelper output)
{
    private const string Chain = "XTPREP";

    /// <summary>Our own lines (addresses in 198.18.0.0/15 and 2001:db8::/32); {set} is the family's set name prefix.</summary>
    private static readonly (string Extension, bool IPv4, bool IPv6, string Rule)[] Lines =
    [
        ("set", true, true, "-m set --match-set {set}foo src"),
        ("set", true, true, "-m set ! --match-set {set}foo src,dst --return-nomatch ! --update-counters ! --update-subcounters --packets-gt 5 ! --bytes-eq 7"),
        ("set", true, true, "-m set --match-set {set}bar dst,dst,src --packets-lt 3 --bytes-gt 9"),
        ("rateest", true, true, "-m rateest --rateest RE1 --rateest-eq --rateest-pps 5"),
        ("rateest", true, true, "-m rateest --rateest RE1 ! --rateest-gt --rateest-bps 1000500000bit"),
        ("rateest", true, true, "-m rateest --rateest RE1 --rateest-lt --rateest-bps 1234567"),
        ("rateest", true, true, "-m rateest --rateest-delta --rateest RE1 --rateest-bps1 8bit --rateest-eq --rateest-bps2 16bit"),
        ("rateest", true, true, "-m rateest --rateest-delta --rateest1 RE1 --rateest-pps1 0 --rateest-lt --rateest-pps2 42 --rateest2 RE2"),
        ("rateest", true, true, "-m rateest --rateest1 RE1 --rateest-lt --rateest-bps --rateest-pps --rateest2 RE2"),
        ("nfacct", true, true, "-m nfacct --nfacct-name acct1"),
        ("nfacct", true, true, "-m nfacct --nfacct-name \"a b\" -m nfacct --nfacct-name x"),
        ("mac", true, true, "-m mac ! --mac-source 42:01:02:03:04:FF"),
        ("socket", true, true, "-m socket"),
        ("socket", true, true, "-m socket --transparent --nowildcard --restore-skmark"),
        ("socket", true, true, "-m socket --restore-skmark"),
        ("osf", true, false, "-p tcp -m osf ! --genre linux --ttl 2 --log 1"),
        ("policy", true, false, "-m policy --dir in --pol ipsec --strict --reqid 1 --spi 0x1 --proto esp --mode tunnel --tunnel-dst 198.18.0.0/15 --tunnel-src 198.18.1.0/24 --next --reqid 2"),
        ("policy", false, true, "-m policy --dir in --pol ipsec --strict --mode tunnel ! --tunnel-dst 2001:db8::/32 ! --tunnel-src 2001:db8::1 --next --proto ipcomp"),
    ];

    [SkippableFact]
    public void Lines_that_need_kernel_objects_or_other_hooks_read_back_and_repair_exactly()
    {
        Root.Require();
        int total = 0;
        foreach (var backend in new[] { SnatBackend.IptablesLegacy, SnatBackend.IptablesNft })
        {
            foreach (var family in new[] { SnatFamily.IPv4, SnatFamily.IPv6 })
            {
                var rules = Lines.Where(l => family == SnatFamily.IPv4 ? l.IPv4 : l.IPv6)
                    .Select(l => l.Rule.Replace("{set}", family == SnatFamily.IPv6 ? "six" : string.Empty, StringComparison.Ordinal))
                    .ToList();
                using var ns = new TestNamespace("xtprep");
                Prepare(ns, backend, family);
                string restore = XtCorpus.SaveTool(backend, family).Replace("-save", "-restore", StringComparison.Ordinal);
                ns.ExecWithInput($"*nat\n:{Chain} - [0:0]\n" + string.Concat(rules.Select(r => $"-A {Chain} {r} -j MASQUERADE\n")) + "COMMIT\n", restore, "--noflush", "-w");

                var saved = Saved(ns, backend, family);
                Assert.Equal(rules.Count, saved.Count);
                var texts = LiveRules.Read(ns, allChains: true, backend: backend)
                    .Where(r => r.Family == family && r.Chain == Chain).OrderBy(r => r.Position).Select(r => r.Text).ToList();
                Assert.Equal(saved, texts);

                using var host = new PowerShellHost();
                var (changed, errors) = host.Invoke(
                    "Get-SnatRule -NetworkNamespace $ns -AllChains -Backend $backend -Family $family -Chain $chain | Set-SnatRule -RandomFully -PassThru",
                    new Dictionary<string, object?> { ["ns"] = ns.Name, ["backend"] = backend.ToString(), ["family"] = family.ToString(), ["chain"] = Chain });
                Assert.True(errors.Count == 0, $"{backend} {family}: {string.Join('\n', errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}"))}");
                Assert.Equal(rules.Count, changed.Count);
                Assert.Equal(saved.Select(line => line + " --random-fully"), Saved(ns, backend, family));
                output.WriteLine($"{backend} {family}: {rules.Count} lines exact, and exact after the repair");
                total += rules.Count;
            }
        }

        Assert.Equal(Lines.Count(l => l.IPv4) * 2 + Lines.Count(l => l.IPv6) * 2, total);
    }

    private static List<string> Saved(TestNamespace ns, SnatBackend backend, SnatFamily family) =>
        ns.Exec(XtCorpus.SaveTool(backend, family), "-t", "nat").Split('\n').Where(l => l.StartsWith($"-A {Chain} ", StringComparison.Ordinal)).ToList();

    /// <summary>The sets (per family), the rate estimators (a RATEEST rule in mangle, same backend) and the nfacct objects the lines name.</summary>
    private static void Prepare(TestNamespace ns, SnatBackend backend, SnatFamily family)
    {
        string prefix = family == SnatFamily.IPv6 ? "six" : string.Empty;
        string inet = family == SnatFamily.IPv6 ? "inet6" : "inet";
        ns.Exec("ipset", "create", prefix + "foo", "hash:ip", "family", inet);
        ns.Exec("ipset", "create", prefix + "bar", "hash:ip,port,ip", "family", inet);

        string restore = XtCorpus.SaveTool(backend, family).Replace("-save", "-restore", StringComparison.Ordinal);
        ns.ExecWithInput(
            "*mangle\n" +
            "-A POSTROUTING -j RATEEST --rateest-name RE1 --rateest-interval 250ms --rateest-ewmalog 500ms\n" +
            "-A POSTROUTING -j RATEEST --rateest-name RE2 --rateest-interval 250ms --rateest-ewmalog 500ms\n" +
            "COMMIT\n",
            restore,
            "-w");

        using var socket = NetlinkSocket.Open(NetlinkSocket.NetlinkNetfilter, ns.Name);
        foreach (string name in new[] { "acct1", "a b", "x" })
        {
            // NFNL_SUBSYS_ACCT (7) << 8 | NFNL_MSG_ACCT_NEW (0), NFACCT_NAME (1): what `nfacct add` sends (uapi nfnetlink_acct.h).
            var writer = new NetlinkWriter();
            int start = writer.BeginMessage((7 << 8) | 0, NetlinkFlags.Request | NetlinkFlags.Ack | NetlinkFlags.Create, socket.NextSequence());
            writer.PutNfGenMsg(0, 0, 0);
            writer.PutString(1, name);
            writer.EndMessage(start);
            socket.Request(writer.WrittenSpan, "nfacct add", null);
        }
    }
}
