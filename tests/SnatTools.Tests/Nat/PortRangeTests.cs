using SnatTools.Core;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;

namespace SnatTools.Tests.Nat;

public sealed class PortRangeTests
{
    [Theory]
    [InlineData("1024-65535", 1024, 65535)]
    [InlineData(" 32768:60999 ", 32768, 60999)]
    [InlineData("8080", 8080, 8080)]
    public void A_rule_port_range_is_read_as_iptables_writes_it(string text, int min, int max)
    {
        var range = PortRange.Parse(text);
        Assert.Equal(min, range.Min);
        Assert.Equal(max, range.Max);
        Assert.Equal(max - min + 1, range.Size);
    }

    [Theory]
    [InlineData("")]
    [InlineData("banana")]
    [InlineData("0-1024")]
    [InlineData("1024-70000")]
    [InlineData("2000-1000")]
    [InlineData("-5")]
    [InlineData("1024-")]
    public void Anything_else_is_an_InvalidPortRange(string text)
    {
        var error = Assert.Throws<SnatToolsException>(() => PortRange.Parse(text));
        Assert.Equal(ErrorIds.InvalidPortRange, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void ICMP_ids_start_at_zero_but_written_ports_at_one()
    {
        Assert.Equal(65536, new PortRange(0, 65535).Size);
        Assert.Equal(new PortRange(0, 65535), PortRange.KernelNatDefault(IpProtocol.Icmp, 7));
        Assert.Equal(new PortRange(1024, 65535), PortRange.KernelNatDefault(IpProtocol.Tcp, 40000));
        Assert.Null(PortRange.KernelNatDefault(IpProtocol.Gre, 0));
        Assert.Equal(ErrorIds.InvalidPortRange, Assert.Throws<SnatToolsException>(() => new PortRange(-1, 10)).ErrorId);
        Assert.Equal(ErrorIds.InvalidPortRange, Assert.Throws<SnatToolsException>(() => PortRange.Parse("0-10")).ErrorId);
    }

    [Fact]
    public void It_prints_the_way_it_is_written()
    {
        Assert.Equal("1024-65535", new PortRange(1024, 65535).ToString());
        Assert.Equal("8080", new PortRange(8080, 8080).ToString());
    }
}
