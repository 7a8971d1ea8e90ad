using System.Diagnostics;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// Reads conntrack statistics over ctnetlink: the per-CPU dump (one message per possible CPU,
/// the CPU id in nfgenmsg.res_id) and the global entry count and limit.
/// </summary>
public sealed class ConntrackStatisticsReader : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly NetlinkWriter _writer = new(64);

    private ConntrackStatisticsReader(NetlinkSocket socket) => _socket = socket;

    public static ConntrackStatisticsReader Open(string? networkNamespace = null) =>
        new(NetlinkSocket.Open(NetlinkSocket.NetlinkNetfilter, networkNamespace));

    public ConntrackSample Read()
    {
        var cpus = ReadPerCpu();
        var (count, max) = ReadTableSize();
        return new ConntrackSample(DateTimeOffset.Now, Stopwatch.GetTimestamp(), cpus, count, max);
    }

    public IReadOnlyList<ConntrackCpuSample> ReadPerCpu()
    {
        var cpus = _socket.Dump<ConntrackCpuSample>(
            _writer,
            static (writer, sequence) => BuildRequest(writer, CtnetlinkMessage.GetStatsCpu, NetlinkFlags.Request | NetlinkFlags.Dump, sequence),
            "ctnetlink IPCTNL_MSG_CT_GET_STATS_CPU",
            static (in NetlinkMessage message, out ConntrackCpuSample sample) =>
            {
                sample = DecodeCpu(message);
                return true;
            });
        cpus.Sort((a, b) => a.Cpu.CompareTo(b.Cpu));
        return cpus;
    }

    public (long Count, long Max) ReadTableSize()
    {
        long count = 0, max = 0;
        _writer.Reset();
        BuildRequest(_writer, CtnetlinkMessage.GetStats, NetlinkFlags.Request | NetlinkFlags.Ack, _socket.NextSequence());
        _socket.Request(_writer.WrittenSpan, "ctnetlink IPCTNL_MSG_CT_GET_STATS", (in NetlinkMessage message) =>
        {
            (count, max) = DecodeTableSize(message);
            return true;
        });
        return (count, max);
    }

    internal static ConntrackCpuSample DecodeCpu(in NetlinkMessage message)
    {
        ExpectType(message, CtnetlinkMessage.GetStatsCpu);
        int cpu = message.NfGenMsg.ResourceId;
        ulong found = 0, invalid = 0, insert = 0, insertFailed = 0, drop = 0, earlyDrop = 0, error = 0, searchRestart = 0, clashResolve = 0, chainTooLong = 0;
        List<UnknownAttribute>? unknown = null;
        foreach (var attribute in message.NfAttributes)
        {
            switch (attribute.Type)
            {
                case CtaStatsCpu.Found: found = attribute.GetBe32(); break;
                case CtaStatsCpu.Invalid: invalid = attribute.GetBe32(); break;
                case CtaStatsCpu.Insert: insert = attribute.GetBe32(); break;
                case CtaStatsCpu.InsertFailed: insertFailed = attribute.GetBe32(); break;
                case CtaStatsCpu.Drop: drop = attribute.GetBe32(); break;
                case CtaStatsCpu.EarlyDrop: earlyDrop = attribute.GetBe32(); break;
                case CtaStatsCpu.Error: error = attribute.GetBe32(); break;
                case CtaStatsCpu.SearchRestart: searchRestart = attribute.GetBe32(); break;
                case CtaStatsCpu.ClashResolve: clashResolve = attribute.GetBe32(); break;
                case CtaStatsCpu.ChainTooLong: chainTooLong = attribute.GetBe32(); break;
                default:
                    (unknown ??= []).Add(new UnknownAttribute(attribute.Type, attribute.GetBytes()));
                    break;
            }
        }

        return new ConntrackCpuSample(
            cpu,
            new ConntrackCounters(found, invalid, insert, insertFailed, drop, earlyDrop, error, searchRestart, clashResolve, chainTooLong),
            (IReadOnlyList<UnknownAttribute>?)unknown ?? []);
    }

    internal static (long Count, long Max) DecodeTableSize(in NetlinkMessage message)
    {
        ExpectType(message, CtnetlinkMessage.GetStats);
        long count = 0, max = 0;
        foreach (var attribute in message.NfAttributes)
        {
            switch (attribute.Type)
            {
                case CtaStatsCpu.GlobalEntries: count = attribute.GetBe32(); break;
                case CtaStatsCpu.GlobalMaxEntries: max = attribute.GetBe32(); break;
            }
        }

        return (count, max);
    }

    private static void BuildRequest(NetlinkWriter writer, byte message, NetlinkFlags flags, uint sequence)
    {
        int start = writer.BeginMessage(NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, message), flags, sequence);
        writer.PutNfGenMsg(0, NfnetlinkSubsystem.Version0, 0);
        writer.EndMessage(start);
    }

    private static void ExpectType(in NetlinkMessage message, byte expected)
    {
        if (message.Type != NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, expected))
        {
            throw new NetlinkDecodeException($"expected ctnetlink message {expected}, got type 0x{message.Type:x4}.");
        }
    }

    public void Dispose() => _socket.Dispose();
}
