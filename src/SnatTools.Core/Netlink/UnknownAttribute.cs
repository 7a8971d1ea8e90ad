namespace SnatTools.Core.Netlink;

/// <summary>An attribute this version does not decode, kept with its bytes rather than dropped.</summary>
public sealed record UnknownAttribute(ushort Type, byte[] Value)
{
    public override string ToString() => $"{Type}:{Convert.ToHexString(Value).ToLowerInvariant()}";
}
