using System.Globalization;

namespace SnatTools.Core.Race;

/// <summary>Maps a kernel release ("6.18.44-...") to the allocator it runs.</summary>
public static class SnatKernelRelease
{
    /// <summary>
    /// The first release with the current allocator. Upstream commit 6ed5943f8735 ("netfilter:
    /// nat: remove l4 protocol port rovers") and "limit port clash resolution attempts" landed
    /// for 5.0; iptables' own man page says "Since kernel 5.0, --random is identical to
    /// --random-fully". Checked: 4.19 trees have the rover (nf_nat_proto_common.c), 5.4 trees the
    /// 128/64/32/16/8 search. Stable 4.9/4.14/4.19 updates from 2022 also dropped the rover (the
    /// 4.14.y backport of 6ed5943f8735), which a version number cannot show: pass the kernel
    /// explicitly for those.
    /// </summary>
    public static readonly Version FirstCurrent = new(5, 0);

    private const string OsReleasePath = "/proc/sys/kernel/osrelease";

    /// <summary>The allocator of a release string such as "6.18.44-fc-v657" or "4.19.0-25-amd64".</summary>
    public static SnatKernel FromRelease(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Parse(release) is { } version && version < FirstCurrent ? SnatKernel.Legacy : SnatKernel.Current;
    }

    /// <summary>The allocator of the running kernel; Current when the release cannot be read.</summary>
    public static SnatKernel Running()
    {
        try
        {
            return FromRelease(File.ReadAllText(OsReleasePath));
        }
        catch (IOException)
        {
            return SnatKernel.Current;
        }
        catch (UnauthorizedAccessException)
        {
            return SnatKernel.Current;
        }
    }

    /// <summary>Major.minor of a release string, or null when it does not start with them.</summary>
    public static Version? Parse(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var parts = release.Trim().Split('.', 3);
        if (parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major))
        {
            return null;
        }

        int digits = 0;
        while (digits < parts[1].Length && char.IsAsciiDigit(parts[1][digits]))
        {
            digits++;
        }

        return int.TryParse(parts[1].AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            ? new Version(major, minor)
            : null;
    }
}
