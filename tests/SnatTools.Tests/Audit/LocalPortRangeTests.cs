using SnatTools.Core;
using SnatTools.Core.Linux;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Audit;

public sealed class LocalPortRangeTests
{
    [Theory]
    [InlineData("32768\t60999\n", 32768, 60999, 28232)]
    [InlineData("1024 65535", 1024, 65535, 64512)]
    [InlineData("40000 40000\n", 40000, 40000, 1)]
    public void Parses_the_sysctl_text(string text, int first, int last, int count)
    {
        var range = LocalPortRange.Parse(text);
        Assert.Equal((first, last, count), (range.First, range.Last, range.Count));
    }

    [Theory]
    [InlineData("")]
    [InlineData("32768")]
    [InlineData("60999 32768")]
    [InlineData("a b")]
    [InlineData("1 2 3")]
    public void Rejects_text_that_is_not_two_ordered_ports(string text)
    {
        var error = Assert.Throws<SnatToolsException>(() => LocalPortRange.Parse(text));
        Assert.Equal(ErrorIds.InvalidPortRange, error.ErrorId);
    }

    [SkippableFact]
    public void Reads_the_range_of_the_given_namespace_not_the_callers()
    {
        Root.Require();
        using var ns = new TestNamespace("portrange");
        ns.Exec("sh", "-c", "echo '41000 41999' > /proc/sys/net/ipv4/ip_local_port_range");
        string oracle = ns.Exec("cat", "/proc/sys/net/ipv4/ip_local_port_range");

        var range = LocalPortRange.Read(ns.Name);

        Assert.Equal(LocalPortRange.Parse(oracle), range);
        Assert.Equal((41000, 41999, 1000), (range.First, range.Last, range.Count));
        Assert.NotEqual(range, LocalPortRange.Read(null)); // this process's own namespace keeps its range
    }
}
