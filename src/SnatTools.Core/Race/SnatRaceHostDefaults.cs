using System.Globalization;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Race;

/// <summary>What this host says about the defaults of a race scenario.</summary>
public static class SnatRaceHostDefaults
{
    private const string LocalPortRangePath = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>CPUs that can handle packets here (the runtime's count, which follows the affinity mask).</summary>
    public static int Cpus => Math.Clamp(Environment.ProcessorCount, 1, SnatRaceScenario.MaxCpus);

    /// <summary>The allocator of the running kernel.</summary>
    public static SnatKernel Kernel => SnatKernelRelease.Running();

    /// <summary>
    /// net.ipv4.ip_local_port_range of this host's network namespace: where clients like it draw
    /// their source ports. Linux's default when it cannot be read.
    /// </summary>
    public static PortRange ClientPortRange()
    {
        try
        {
            return ParseLocalPortRange(File.ReadAllText(LocalPortRangePath)) ?? PortRange.LinuxEphemeralDefault;
        }
        catch (IOException)
        {
            return PortRange.LinuxEphemeralDefault;
        }
        catch (UnauthorizedAccessException)
        {
            return PortRange.LinuxEphemeralDefault;
        }
    }

    /// <summary>Reads the sysctl's text, two numbers separated by white space ("32768\t60999"); null when it is not that.</summary>
    public static PortRange? ParseLocalPortRange(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            && min >= 1 && max <= 65535 && min <= max
            ? new PortRange(min, max)
            : null;
    }
}
