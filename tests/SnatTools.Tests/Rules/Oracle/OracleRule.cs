using SnatTools.Core.Rules;

namespace SnatTools.Tests.Rules.Oracle;

/// <summary>A source-NAT rule as the real tools print it, with the fields read back from their text.</summary>
public sealed record OracleRule(
    SnatBackend Backend,
    SnatFamily Family,
    string Table,
    string Chain,
    int Position,
    ulong? Handle,
    string Text,
    SnatAction Action,
    bool RandomFully,
    bool Random,
    bool Persistent,
    string? ToAddresses,
    string? ToPorts,
    string? OutInterface,
    bool OutInterfaceNegated,
    string Matches,
    string? Comment,
    ulong? Packets,
    ulong? Bytes)
{
    public (SnatBackend, SnatFamily, string, string, int) Key => (Backend, Family, Table, Chain, Position);
}
