using SnatTools.Core.Conntrack;
using SnatTools.Core.Netlink;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Conntrack;

public sealed class ConntrackDecodeTests
{
    [Fact]
    public void The_captured_per_cpu_dump_gives_each_cpu_from_res_id()
    {
        var samples = Decode("ctnetlink-get-stats-cpu.hex");

        Assert.Equal([0, 1], samples.Select(s => s.Cpu));
        Assert.All(samples, s => Assert.Equal(default, s.Counters));
        Assert.All(samples, s => Assert.Empty(s.Unknown));
    }

    private static List<ConntrackCpuSample> Decode(string capture)
    {
        var samples = new List<ConntrackCpuSample>();
        foreach (var datagram in Captures.Datagrams(capture))
        {
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryNext(out var message))
            {
                if (message.Type != NetlinkMessageType.Done)
                {
                    samples.Add(ConntrackStatisticsReader.DecodeCpu(message));
                }
            }
        }

        return samples;
    }

    [Fact]
    public void The_captured_race_lab_dump_gives_the_counters_conntrack_S_printed()
    {
        var samples = Decode("ctnetlink-get-stats-cpu-race.hex");

        // conntrack -S printed cpu=0 found=180 insert_failed=10 drop=10, cpu=1 found=173 insert_failed=15 drop=15.
        Assert.Equal([0, 1], samples.Select(s => s.Cpu));
        Assert.Equal(new ConntrackCounters(180, 0, 0, 10, 10, 0, 0, 0, 0, 0), samples[0].Counters);
        Assert.Equal(new ConntrackCounters(173, 0, 0, 15, 15, 0, 0, 0, 0, 0), samples[1].Counters);
    }

    [Fact]
    public void The_captured_table_size_reply_gives_count_and_max()
    {
        var reader = new NetlinkMessageReader(Captures.Datagrams("ctnetlink-get-stats.hex").Single());
        Assert.True(reader.TryNext(out var message));
        var (count, max) = ConntrackStatisticsReader.DecodeTableSize(message);
        Assert.Equal(7, count);
        Assert.Equal(262144, max);
    }

    [Fact]
    public void Every_counter_lands_in_its_own_field_and_unknown_attributes_are_kept()
    {
        var writer = new NetlinkWriter();
        int start = writer.BeginMessage(NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, CtnetlinkMessage.GetStatsCpu), NetlinkFlags.Multi, 1);
        writer.PutNfGenMsg(0, 0, 3);
        for (ushort type = 1; type <= 17; type++)
        {
            writer.PutBe32(type, 1000u + type);
        }

        writer.EndMessage(start);
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        reader.TryNext(out var message);
        var sample = ConntrackStatisticsReader.DecodeCpu(message);

        Assert.Equal(3, sample.Cpu);
        Assert.Equal(new ConntrackCounters(1002, 1004, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015), sample.Counters);
        // SEARCHED, NEW, IGNORE, DELETE, DELETE_LIST (no longer sent) and two from the future: kept, not dropped.
        Assert.Equal([1, 3, 5, 6, 7, 16, 17], sample.Unknown.Select(u => (int)u.Type));
        Assert.Equal([0, 0, 0x03, 0xf9], sample.Unknown[^1].Value); // 1017, big-endian as sent
    }

    [Fact]
    public void Interval_growth_survives_a_32_bit_wrap_per_cpu()
    {
        var before = Sample(0, (cpu: 0, insertFailed: uint.MaxValue - 1), (cpu: 1, insertFailed: 10));
        var after = Sample(2, (cpu: 0, insertFailed: 3), (cpu: 1, insertFailed: 15));
        var sum = ConntrackStatistics.FromInterval(before, after, perCpu: false, null).Single();
        Assert.Equal(5ul + 5ul, sum.InsertFailed);
        Assert.Equal(TimeSpan.FromSeconds(2), sum.IntervalSpan);
        Assert.Equal("00:00:02", sum.Interval);
        Assert.Equal(5.0, sum.PerSecond!.InsertFailed, 6);

        var perCpu = ConntrackStatistics.FromInterval(before, after, perCpu: true, null);
        Assert.Equal([5ul, 5ul], perCpu.Select(c => c.InsertFailed));
    }

    private static ConntrackSample Sample(int seconds, params (int cpu, uint insertFailed)[] cpus) => new(
        DateTimeOffset.UnixEpoch.AddSeconds(seconds),
        seconds * System.Diagnostics.Stopwatch.Frequency,
        cpus.Select(c => new ConntrackCpuSample(c.cpu, new ConntrackCounters(0, 0, 0, c.insertFailed, 0, 0, 0, 0, 0, 0), [])).ToArray(),
        100,
        1000);
}
