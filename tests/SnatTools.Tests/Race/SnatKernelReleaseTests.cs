using SnatTools.Core.Race;

namespace SnatTools.Tests.Race;

public sealed class SnatKernelReleaseTests
{
    [Theory]
    [InlineData("6.18.44-fc-v657", SnatKernel.Current)]
    [InlineData("5.0.0", SnatKernel.Current)]
    [InlineData("5.4.0-150-generic", SnatKernel.Current)]
    [InlineData("4.19.0-25-amd64", SnatKernel.Legacy)]
    [InlineData("4.20.17", SnatKernel.Legacy)]
    [InlineData("3.10.0-1160.el7.x86_64", SnatKernel.Legacy)]
    [InlineData("6.1rc1", SnatKernel.Current)]
    [InlineData("not a release", SnatKernel.Current)]
    public void The_allocator_follows_the_release(string release, SnatKernel expected)
    {
        Assert.Equal(expected, SnatKernelRelease.FromRelease(release));
    }

    [Fact]
    public void Running_reads_the_release_of_this_machine()
    {
        var release = SnatKernelRelease.Parse(File.ReadAllText("/proc/sys/kernel/osrelease"));
        Assert.NotNull(release);
        Assert.Equal(release >= CurrentKernelAllocator.FirstRelease ? SnatKernel.Current : SnatKernel.Legacy, SnatKernelRelease.Running());
    }
}
