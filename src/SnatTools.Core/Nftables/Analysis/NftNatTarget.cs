using System.Buffers.Binary;
using System.Net;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// What a masquerade or snat statement translates to: its NAT range (flags, addresses, ports),
/// worked out from the constants its registers hold.
/// </summary>
public sealed record NftNatTarget(NftNatStatement Statement, NatRange Range)
{
    public bool IsMasquerade => Statement.Kind == NftNatKind.Masquerade;

    /// <summary>Reads the range of <paramref name="statement"/>; what cannot be read is added to <paramref name="problems"/>.</summary>
    public static NftNatTarget From(NftNatStatement statement, ICollection<string> problems)
    {
        IPAddress? minAddress = null, maxAddress = null;
        if (statement.AddressMin is { } addressMin)
        {
            minAddress = Address(addressMin, statement.IsIPv6, problems);
            maxAddress = statement.AddressMax is { } addressMax ? Address(addressMax, statement.IsIPv6, problems) : minAddress;
        }

        ushort minPort = 0, maxPort = 0;
        if (statement.PortMin is { } portMin)
        {
            minPort = Port(portMin, problems);
            maxPort = statement.PortMax is { } portMax ? Port(portMax, problems) : minPort;
        }

        return new NftNatTarget(statement, new NatRange(statement.Flags, minAddress, maxAddress, minPort, maxPort));
    }

    private static ushort Port(NftRegisterValue register, ICollection<string> problems)
    {
        if (register.Value is ConstantOperand { Value.Length: >= 2 } constant)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(constant.Value);
        }

        problems.Add($"register {register.Register} holds no port");
        return 0;
    }

    private static IPAddress Address(NftRegisterValue register, bool ipv6, ICollection<string> problems)
    {
        int length = ipv6 ? 16 : 4;
        if (register.Value is ConstantOperand constant && constant.Value.Length >= length)
        {
            return new IPAddress(constant.Value.AsSpan(0, length));
        }

        problems.Add($"register {register.Register} holds no address");
        return ipv6 ? IPAddress.IPv6None : IPAddress.None;
    }
}
