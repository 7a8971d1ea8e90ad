using SnatTools.Core;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Netlink;

public sealed class NetlinkSocketTests
{
    [Fact]
    public void A_missing_namespace_is_NetworkNamespaceNotFound()
    {
        var error = Assert.Throws<SnatToolsException>(() => NetlinkSocket.Open(NetlinkSocket.NetlinkNetfilter, "snattools-does-not-exist"));
        Assert.Equal(ErrorIds.NetworkNamespaceNotFound, error.ErrorId);
        Assert.Contains("/run/netns/snattools-does-not-exist", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_kernel_refusal_carries_the_errno_name_and_the_extended_ack_text()
    {
        Root.Require();
        using var ns = new TestNamespace("nlerr");
        using var socket = NetlinkSocket.Open(NetlinkSocket.NetlinkNetfilter, ns.Name);
        var writer = new NetlinkWriter();
        // NFT_MSG_GETTABLE for a table that does not exist: ENOENT.
        int start = writer.BeginMessage(NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Nftables, 1), NetlinkFlags.Request | NetlinkFlags.Ack, socket.NextSequence());
        writer.PutNfGenMsg(2, 0, 0);
        writer.PutString(1, "snattools-no-such-table");
        writer.EndMessage(start);

        var error = Assert.Throws<NetlinkException>(() => socket.Request(writer.WrittenSpan, "NFT_MSG_GETTABLE", null));
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal("ENOENT", error.ErrnoName);
        Assert.Equal(ErrorIds.NetlinkError, error.ErrorId);
    }

    [SkippableFact]
    public void Setns_happens_on_a_dedicated_thread_and_leaves_the_caller_where_it_was()
    {
        Root.Require();
        using var ns = new TestNamespace("thread");
        string own = new FileInfo("/proc/thread-self/ns/net").ResolveLinkTarget(false)!.ToString();
        int callerThread = Environment.CurrentManagedThreadId;
        var (inside, workerThread) = NetworkNamespace.Run(ns.Name, () =>
            (new FileInfo("/proc/thread-self/ns/net").ResolveLinkTarget(false)!.ToString(), Environment.CurrentManagedThreadId));

        Assert.NotEqual(own, inside);
        Assert.NotEqual(callerThread, workerThread);
        Assert.Equal(own, new FileInfo("/proc/thread-self/ns/net").ResolveLinkTarget(false)!.ToString());
    }

    [SkippableFact]
    public void Errno_names_match_the_kernel_headers()
    {
        const string header = "/usr/include/asm-generic/errno.h";
        Skip.IfNot(File.Exists(header), "linux-libc-dev is not installed");
        var defines = File.ReadLines("/usr/include/asm-generic/errno-base.h").Concat(File.ReadLines(header))
            .Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 3 && parts[0] == "#define" && int.TryParse(parts[2], out _))
            .Select(parts => (Name: parts[1], Value: int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)))
            .GroupBy(d => d.Value)
            .ToArray();
        Assert.True(defines.Length > 100);
        foreach (var group in defines)
        {
            Assert.Contains(Errno.Name(group.Key), group.Select(d => d.Name));
        }
    }

    [SkippableFact]
    public void A_dump_on_a_fresh_namespace_reads_one_message_per_possible_cpu()
    {
        Root.Require();
        using var ns = new TestNamespace("dump");
        using var reader = ConntrackStatisticsReader.Open(ns.Name);
        var cpus = reader.ReadPerCpu();
        int possible = CountPossibleCpus();
        Assert.Equal(possible, cpus.Count);
        Assert.Equal(Enumerable.Range(0, possible), cpus.Select(c => c.Cpu));
    }

    private static int CountPossibleCpus()
    {
        // "0-1" or "0,2-3": the kernel dumps one message per possible CPU.
        return File.ReadAllText("/sys/devices/system/cpu/possible").Trim().Split(',')
            .Sum(range => range.Contains('-', StringComparison.Ordinal)
                ? int.Parse(range.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture) - int.Parse(range.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture) + 1
                : 1);
    }
}
