using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SnatTools.Core.Race;

/// <summary>
/// What a calibration is only valid for: this machine (a hash of /etc/machine-id), its CPU model
/// and count, and the running kernel. A calibration made under other facts is not used.
/// </summary>
public sealed record MachineFacts(string MachineId, string CpuModel, int Cpus, string Kernel)
{
    private const string Unknown = "unknown";

    /// <summary>The facts of the machine this process runs on.</summary>
    public static MachineFacts Current() => new(
        HashedMachineId(ReadFirstLine("/etc/machine-id")),
        CpuModelName(ReadText("/proc/cpuinfo")),
        SnatRaceHostDefaults.Cpus,
        ReadFirstLine("/proc/sys/kernel/osrelease") ?? Unknown);

    /// <summary>The model name of the first processor in /proc/cpuinfo's text, or "unknown".</summary>
    public static string CpuModelName(string? cpuinfo)
    {
        foreach (string line in (cpuinfo ?? string.Empty).Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == "model name")
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return Unknown;
    }

    /// <summary>The first 16 hex digits of SHA-256 of the machine id: stable, and the id itself is not written anywhere.</summary>
    public static string HashedMachineId(string? machineId) => string.IsNullOrWhiteSpace(machineId)
        ? Unknown
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(machineId.Trim())))[..16];

    /// <summary>What differs from <paramref name="other"/>, in words; null when nothing does.</summary>
    public string? DifferenceFrom(MachineFacts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        if (MachineId != other.MachineId)
        {
            differences.Add($"machine {MachineId}, this is {other.MachineId}");
        }

        if (Cpus != other.Cpus)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"{Cpus} CPUs, this has {other.Cpus}"));
        }

        if (CpuModel != other.CpuModel)
        {
            differences.Add($"CPU '{CpuModel}', this is '{other.CpuModel}'");
        }

        if (Kernel != other.Kernel)
        {
            differences.Add($"kernel {Kernel}, this runs {other.Kernel}");
        }

        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadFirstLine(string path) => ReadText(path)?.Split('\n')[0].Trim() is { Length: > 0 } line ? line : null;
}
