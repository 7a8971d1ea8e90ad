using System.Globalization;

namespace SnatTools.Core.Linux;

/// <summary>
/// net.ipv4.ip_local_port_range of a network namespace: the ephemeral ports its sockets pick
/// from (for IPv6 too). The audit compares SNAT port ranges with it.
/// </summary>
public readonly record struct LocalPortRange(int First, int Last)
{
    private const string SysctlPath = "/proc/sys/net/ipv4/ip_local_port_range";

    public int Count => Last - First + 1;

    /// <summary>Reads the range in a namespace (null: the caller's own).</summary>
    public static LocalPortRange Read(string? networkNamespace) =>
        // /proc/sys/net shows the namespace of the thread that opens it, hence NetworkNamespace.Run.
        Parse(NetworkNamespace.Run(networkNamespace, () => File.ReadAllText(SysctlPath)));

    /// <summary>Parses the sysctl text: two numbers separated by white space.</summary>
    public static LocalPortRange Parse(string text)
    {
        string[] parts = text.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
            || first > last)
        {
            throw new SnatToolsException(ErrorIds.InvalidPortRange, ErrorKind.InvalidData, $"{SysctlPath} holds '{text.Trim()}', not two ports 'first last'.", text);
        }

        return new LocalPortRange(first, last);
    }

    public override string ToString() => $"{First}-{Last}";
}
