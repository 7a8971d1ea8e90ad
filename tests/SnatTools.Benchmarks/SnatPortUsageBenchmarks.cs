using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Netlink;
using SnatTools.Core.PortUsage;

namespace SnatTools.Benchmarks;

/// <summary>
/// Get-SnatPortUsage on a big table: a namespace of the benchmark's own holding
/// <see cref="NatFlows"/> source-NATed UDP flows and 20,000 tracked loopback flows that are not
/// NATed. Needs root. Compares the kernel's status filter with filtering every entry here, and
/// `conntrack -L --src-nat` as the baseline an operator would use.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class SnatPortUsageBenchmarks
{
    private const int LocalFlows = 20_000;
    private NatFlowNamespace _namespace = null!;
    private ConntrackEntryReader _reader = null!;
    private InProcessPowerShell _shell = null!;

    [Params(10_000, 100_000)]
    public int NatFlows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _namespace = new NatFlowNamespace("usage");
        _namespace.AddUdpFlows(NatFlows, LocalFlows);
        _reader = ConntrackEntryReader.Open(_namespace.Name);
        var dump = _reader.DumpSourceNat(ConntrackEntryDecoder.AfInet);
        if (dump.Entries.Count != NatFlows || !dump.FilteredByKernel)
        {
            throw new InvalidOperationException($"expected {NatFlows} NATed entries filtered by the kernel; got {dump.Entries.Count} (skipped here: {dump.SkippedByStatus}).");
        }

        _shell = new InProcessPowerShell();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _shell.Dispose();
        _reader.Dispose();
        _namespace.Dispose();
    }

    [Benchmark(Description = "IPv4 dump, status filter in the kernel")]
    public int DumpKernelFiltered() => _reader.DumpSourceNat(ConntrackEntryDecoder.AfInet).Entries.Count;

    [Benchmark(Description = "IPv4 dump of every entry, filtered here")]
    public int DumpClientFiltered() => _reader.Dump(ConntrackEntryDecoder.AfInet, ConntrackStatus.None, ConntrackStatus.None, entry => entry.IsSourceNat).Entries.Count;

    [Benchmark(Description = "IPv4 and IPv6 in one dump (AF_UNSPEC), kernel filter")]
    public int DumpBothFamilies() => _reader.DumpSourceNat(ConntrackEntryDecoder.AfUnspec).Entries.Count;

    [Benchmark(Description = "dump both families into a list, then group it")]
    public int DumpThenGroup() => SnatPortUsageCalculator.Group(_reader.DumpSourceNat(ConntrackEntryDecoder.AfUnspec).Entries, SnatPortUsageQuery.All, null).Count;

    [Benchmark(Description = "open, dump both families, group (SnatPortUsageReader.Read)")]
    public int ReadAndGroup() => SnatPortUsageReader.Read(_namespace.Name, SnatPortUsageQuery.All).Count;

    [Benchmark(Description = "Get-SnatPortUsage -NetworkNamespace")]
    public int Cmdlet() => _shell.Invoke($"Get-SnatPortUsage -NetworkNamespace {_namespace.Name}");

    [Benchmark(Baseline = true, Description = "conntrack -L --src-nat (baseline)")]
    public int ConntrackTool() => _namespace.Exec("conntrack", "-L", "--src-nat").Length;
}

/// <summary>
/// The user-space share of Get-SnatPortUsage without the kernel: decoding and grouping
/// <see cref="Entries"/> entry messages shaped like the kernel's (ctnetlink_fill_info for UDP)
/// from one buffer. No root needed.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SnatPortUsageDecodeBenchmarks
{
    private byte[] _messages = [];

    [Params(50_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var writer = new NetlinkWriter(Entries * 200);
        for (int i = 0; i < Entries; i++)
        {
            var client = new byte[] { 198, 18, (byte)(i >> 16), (byte)(i >> 8) };
            var server = new byte[] { 198, 19, 0, (byte)(2 + (i % 10)) };
            var nat = new byte[] { 198, 19, 0, 1 };
            int message = writer.BeginMessage(NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, CtnetlinkMessage.New), NetlinkFlags.Multi, 1);
            writer.PutNfGenMsg(ConntrackEntryDecoder.AfInet, 0, 0);
            Tuple(writer, CtaEntry.TupleOrig, client, server, (ushort)(10_000 + (i % 50_000)), 53);
            Tuple(writer, CtaEntry.TupleReply, server, nat, 53, (ushort)(1024 + (i % 64_000)));
            writer.PutBe32(CtaEntry.Status, (uint)(ConntrackStatus.Confirmed | ConntrackStatus.SourceNat | ConntrackStatus.SourceNatDone | ConntrackStatus.DestinationNatDone));
            writer.PutBe32(CtaEntry.Mark, 0);
            writer.PutBe32(CtaEntry.Id, (uint)i);
            writer.PutBe32(CtaEntry.Use, 2);
            writer.PutBe32(CtaEntry.Timeout, 29);
            writer.EndMessage(message);
        }

        _messages = writer.WrittenSpan.ToArray();
    }

    private static void Tuple(NetlinkWriter writer, ushort type, byte[] source, byte[] destination, ushort sourcePort, ushort destinationPort)
    {
        int tuple = writer.BeginNested(type);
        int ip = writer.BeginNested(CtaTuple.Ip);
        writer.PutAttribute(CtaTuple.IpV4Source, source);
        writer.PutAttribute(CtaTuple.IpV4Destination, destination);
        writer.EndNested(ip);
        int proto = writer.BeginNested(CtaTuple.Proto);
        writer.PutU8(CtaTuple.ProtoNumber, IpProtocol.Udp);
        writer.PutBe16(CtaTuple.ProtoSourcePort, sourcePort);
        writer.PutBe16(CtaTuple.ProtoDestinationPort, destinationPort);
        writer.EndNested(proto);
        writer.EndNested(tuple);
    }

    [Benchmark(Description = "decode 50,000 entry messages and group them")]
    public int DecodeAndGroup()
    {
        var entries = new List<ConntrackEntry>(Entries);
        var reader = new NetlinkMessageReader(_messages);
        while (reader.TryNext(out var message))
        {
            if (ConntrackEntryDecoder.TryDecode(message, ConntrackStatus.SourceNat, ConntrackStatus.SourceNat, out var entry))
            {
                entries.Add(entry);
            }
        }

        return SnatPortUsageCalculator.Group(entries, SnatPortUsageQuery.All, null).Count;
    }

    [Benchmark(Description = "decode 50,000 entry messages, grouping each as it is decoded")]
    public int DecodeStreamed()
    {
        var grouper = new SnatPortUsageGrouper(SnatPortUsageQuery.All);
        var reader = new NetlinkMessageReader(_messages);
        while (reader.TryNext(out var message))
        {
            if (ConntrackEntryDecoder.TryDecode(message, ConntrackStatus.SourceNat, ConntrackStatus.SourceNat, out var entry))
            {
                grouper.Add(entry);
            }
        }

        return grouper.Build(null).Count;
    }
}
