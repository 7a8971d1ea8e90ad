using System.Text;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// An interface name as a meta iifname/oifname comparison holds it. The kernel compares only the
/// bytes given: with a terminating NUL the name is exact; without one it is a prefix (iptables
/// prints "eth+", nft "eth*"), unless it fills all IFNAMSIZ (16) bytes.
/// </summary>
public readonly record struct InterfaceName(string Text, bool Terminated, int Length)
{
    public const int Size = 16;

    public static InterfaceName Decode(ReadOnlySpan<byte> value)
    {
        int end = value.IndexOf((byte)0);
        return new InterfaceName(Encoding.ASCII.GetString(end < 0 ? value : value[..end]), end >= 0, value.Length);
    }

    /// <summary>A prefix match: no terminating NUL within fewer than <see cref="Size"/> bytes.</summary>
    public bool IsPrefix => !Terminated && Length < Size;
}
