using SnatTools.Core.Race;

namespace SnatTools.Tests.Race;

/// <summary>The kernel's port choice, step by step, on a table the test controls.</summary>
public sealed class AllocatorTests
{
    private const int DefaultMin = 1024;
    private const int DefaultSize = 64512;

    [Fact]
    public void Current_kernel_keeps_a_free_original_port_without_a_random_flag()
    {
        var table = NewTable();
        var random = new Pcg32(1, 1);
        Assert.Equal(40000, CurrentKernelAllocator.GetUniqueTuple(table, ref random, randomAll: false, ruleRangeGiven: false, DefaultMin, DefaultSize, 40000));
    }

    [Fact]
    public void Current_kernel_never_keeps_the_port_with_a_random_flag_even_when_it_is_free()
    {
        var table = NewTable();
        var random = new Pcg32(2, 1);
        int kept = 0;
        for (int i = 0; i < 1000; i++)
        {
            if (CurrentKernelAllocator.GetUniqueTuple(table, ref random, randomAll: true, ruleRangeGiven: false, DefaultMin, DefaultSize, 40000) == 40000)
            {
                kept++;
            }
        }

        Assert.InRange(kept, 0, 2);
    }

    [Fact]
    public void Two_SYNs_from_the_same_original_port_both_keep_it_when_neither_is_confirmed()
    {
        // The race itself: nf_nat_used_tuple sees only confirmed entries.
        var table = NewTable();
        var random = new Pcg32(3, 1);
        int first = CurrentKernelAllocator.GetUniqueTuple(table, ref random, false, false, DefaultMin, DefaultSize, 40000);
        int second = CurrentKernelAllocator.GetUniqueTuple(table, ref random, false, false, DefaultMin, DefaultSize, 40000);
        Assert.Equal(first, second);
        Assert.True(table.TryConfirm(first, ref random));
        Assert.False(table.TryConfirm(second, ref random));
    }

    [Fact]
    public void Once_the_first_is_confirmed_the_second_gets_another_port()
    {
        var table = NewTable();
        var random = new Pcg32(4, 1);
        int first = CurrentKernelAllocator.GetUniqueTuple(table, ref random, false, false, DefaultMin, DefaultSize, 40000);
        Assert.True(table.TryConfirm(first, ref random));
        int second = CurrentKernelAllocator.GetUniqueTuple(table, ref random, false, false, DefaultMin, DefaultSize, 40000);
        Assert.NotEqual(first, second);
        Assert.InRange(second, DefaultMin, 65535);
    }

    [Fact]
    public void The_u16_offset_draws_ports_1024_to_2047_twice_as_often()
    {
        // off = get_random_u16(); port = 1024 + off % 64512: offsets 0-1023 and 64512-65535 both land on 1024-2047.
        var table = NewTable();
        var random = new Pcg32(5, 1);
        const int Draws = 1_000_000;
        int low = 0;
        for (int i = 0; i < Draws; i++)
        {
            int port = CurrentKernelAllocator.L4protoUniqueTuple(table, ref random, DefaultMin, DefaultSize);
            if (port < 2048)
            {
                low++;
            }
        }

        double expected = 2048.0 / 65536; // 3.125 %, against 1024 / 64512 = 1.59 % without the bias
        double sigma = Math.Sqrt(expected * (1 - expected) / Draws);
        Assert.InRange(low / (double)Draws, expected - (5 * sigma), expected + (5 * sigma));
    }

    [Fact]
    public void Current_kernel_gives_up_after_248_attempts_and_keeps_a_taken_port()
    {
        // A full range: 128 + 64 + 32 + 16 + 8 probes, then the last port tried is returned.
        var table = NewTable();
        var random = new Pcg32(6, 1);
        for (int port = 20000; port < 20000 + 1000; port++)
        {
            table.Confirm(port);
        }

        int chosen = CurrentKernelAllocator.GetUniqueTuple(table, ref random, true, true, 20000, 1000, 20500);
        Assert.InRange(chosen, 20000, 20999);
        Assert.False(table.TryConfirm(chosen, ref random));
    }

    [Fact]
    public void A_one_port_rule_range_keeps_that_port_even_when_taken()
    {
        // get_unique_tuple step 3: min_proto == max_proto short-circuits nf_nat_used_tuple.
        var table = NewTable();
        var random = new Pcg32(7, 1);
        table.Confirm(5000);
        Assert.Equal(5000, CurrentKernelAllocator.GetUniqueTuple(table, ref random, false, true, 5000, 1, 5000));
    }

    [Fact]
    public void Legacy_rover_gives_concurrent_SYNs_with_different_original_ports_the_same_port()
    {
        // Both original ports taken (by earlier flows), so both go to nf_nat_l4proto_unique_tuple
        // and start from the rover; neither sees the other's unconfirmed entry.
        var table = NewTable();
        var random = new Pcg32(8, 1);
        table.Confirm(40000);
        table.Confirm(50000);
        ushort rover = 12345;
        int first = LegacyKernelAllocator.GetUniqueTuple(table, ref random, SnatAlgorithm.KeepOriginal, false, DefaultMin, DefaultSize, 40000, ref rover, 0, 0);
        int second = LegacyKernelAllocator.GetUniqueTuple(table, ref random, SnatAlgorithm.KeepOriginal, false, DefaultMin, DefaultSize, 50000, ref rover, 0, 0);
        Assert.Equal(DefaultMin + 12345, first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Legacy_rover_moves_past_a_confirmed_port_one_by_one()
    {
        var table = NewTable();
        var random = new Pcg32(9, 1);
        table.Confirm(40000);
        ushort rover = 100;
        int first = LegacyKernelAllocator.GetUniqueTuple(table, ref random, SnatAlgorithm.KeepOriginal, false, DefaultMin, DefaultSize, 40000, ref rover, 0, 0);
        Assert.True(table.TryConfirm(first, ref random));
        int second = LegacyKernelAllocator.GetUniqueTuple(table, ref random, SnatAlgorithm.KeepOriginal, false, DefaultMin, DefaultSize, 40000, ref rover, 0, 0);
        Assert.Equal(first + 1, second);
        Assert.Equal(101, rover);
    }

    [Fact]
    public void Legacy_random_starts_every_flow_to_one_destination_at_the_same_hashed_port()
    {
        var table = NewTable();
        var random = new Pcg32(10, 1);
        ushort rover = 0;
        int first = LegacyKernelAllocator.GetUniqueTuple(table, ref random, SnatAlgorithm.Random, false, DefaultMin, DefaultSize, 40000, ref rover, 777, 0);
        int second = LegacyKernelAllocator.GetUniqueTuple(table, ref random, SnatAlgorithm.Random, false, DefaultMin, DefaultSize, 51234, ref rover, 777, 0);
        Assert.Equal(DefaultMin + 777, first);
        Assert.Equal(first, second);
        Assert.Equal(0, rover);
    }

    [Fact]
    public void Legacy_random_fully_draws_a_fresh_start_each_time()
    {
        var table = NewTable();
        var random = new Pcg32(11, 1);
        ushort rover = 0;
        var ports = Enumerable.Range(0, 50)
            .Select(_ => LegacyKernelAllocator.GetUniqueTuple(table, ref random, SnatAlgorithm.RandomFully, false, DefaultMin, DefaultSize, 40000, ref rover, 777, 0))
            .ToHashSet();
        Assert.True(ports.Count >= 48);
    }

    private static PortTable NewTable()
    {
        var table = new PortTable();
        table.BeginBurst();
        return table;
    }
}
