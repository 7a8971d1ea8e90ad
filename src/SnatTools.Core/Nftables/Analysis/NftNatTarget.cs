using System.Buffers.Binary;
using System.Net;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// What a masquerade or snat statement translates to. Its NAT range holds the flags and whatever
/// constants the registers held (addresses, ports). Addresses (and with them ports) may instead come
/// from a map looked up per packet (<see cref="Map"/>), or straight from another value of the packet
/// or flow (<see cref="AddressExpression"/>: `snat to ct original ip daddr`, `snat to numgen ...`).
/// </summary>
public sealed record NftNatTarget(NftNatStatement Statement, NatRange Range)
{
    public bool IsMasquerade => Statement.Kind == NftNatKind.Masquerade;

    /// <summary>The map the addresses come from, or null.</summary>
    public MapOperand? Map { get; init; }

    /// <summary>The ports come from <see cref="Map"/> too (its data is `address . port`).</summary>
    public bool PortsFromMap { get; init; }

    /// <summary>The value the addresses are taken from when it is neither a constant nor a map, or null.</summary>
    public NftOperand? AddressExpression { get; init; }

    /// <summary>Reads the target of <paramref name="statement"/>; what cannot be read is added to <paramref name="problems"/>.</summary>
    public static NftNatTarget From(NftNatStatement statement, ICollection<string> problems)
    {
        IPAddress? minAddress = null, maxAddress = null;
        MapOperand? map = null;
        NftOperand? expression = null;
        if (statement.AddressMin is { } addressMin)
        {
            switch (addressMin.Value)
            {
                case ConstantOperand:
                    minAddress = Address(addressMin, statement.IsIPv6, problems);
                    maxAddress = statement.AddressMax is { } addressMax ? Address(addressMax, statement.IsIPv6, problems) : minAddress;
                    break;
                case var value when MapOf(value) is { } found:
                    map = found;
                    if (statement.AddressMax is { } mapMax && MapOf(mapMax.Value) != found)
                    {
                        problems.Add($"register {mapMax.Register} holds no address from map {found.SetName}");
                    }

                    if (found.Contents is null)
                    {
                        problems.Add($"the map {found.SetName} could not be read");
                    }

                    break;
                case { } other when statement.AddressMax is null || statement.AddressMax.Value.Register == addressMin.Register:
                    expression = other;
                    break;
                default:
                    problems.Add($"register {addressMin.Register} holds no address");
                    break;
            }
        }

        ushort minPort = 0, maxPort = 0;
        bool portsFromMap = false;
        if (statement.PortMin is { } portMin)
        {
            if (map is not null && MapOf(portMin.Value) == map && (statement.PortMax is not { } portMax || MapOf(portMax.Value) == map))
            {
                portsFromMap = true;
            }
            else
            {
                minPort = Port(portMin, problems);
                maxPort = statement.PortMax is { } max ? Port(max, problems) : minPort;
            }
        }

        return new NftNatTarget(statement, new NatRange(statement.Flags, minAddress, maxAddress, minPort, maxPort))
        {
            Map = map,
            PortsFromMap = portsFromMap,
            AddressExpression = expression,
        };
    }

    /// <summary>The map a register value comes from: the map's data itself, or a part of it.</summary>
    private static MapOperand? MapOf(NftOperand? value) => value switch
    {
        MapOperand map => map,
        SliceOperand { Source: MapOperand map } => map,
        _ => null,
    };

    private static ushort Port(NftRegisterValue register, ICollection<string> problems)
    {
        if (register.Value is ConstantOperand { Value.Length: >= 2 } constant)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(constant.Value);
        }

        problems.Add($"register {register.Register} holds no port");
        return 0;
    }

    private static IPAddress? Address(NftRegisterValue register, bool ipv6, ICollection<string> problems)
    {
        int length = NetworkHeader.AddressLength(ipv6);
        if (register.Value is ConstantOperand constant && constant.Value.Length >= length)
        {
            return new IPAddress(constant.Value.AsSpan(0, length));
        }

        problems.Add($"register {register.Register} holds no address");
        return null;
    }
}
