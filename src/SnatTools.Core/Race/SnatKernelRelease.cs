using System.Globalization;

namespace SnatTools.Core.Race;

/// <summary>Maps a kernel release ("6.18.44-...") to the allocator it runs.</summary>
public static class SnatKernelRelease
{
    private const string OsReleasePath = "/proc/sys/kernel/osrelease";

    /// <summary>The allocator of a release string such as "6.18.44-fc-v657" or "4.19.0-25-amd64" (each allocator says from which release it runs); Current when the string is not a release.</summary>
    public static SnatKernel FromRelease(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Parse(release) is { } version ? PortAllocators.ForRelease(version) : SnatKernel.Current;
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
