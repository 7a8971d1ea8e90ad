namespace SnatTools.Core.Netlink;

/// <summary>An attribute this version does not decode, kept with its bytes rather than dropped.</summary>
public sealed record UnknownAttribute(ushort Type, byte[] Value)
{
    /// <summary>The attribute's payload; internal so that output objects show <see cref="Hex"/>, not an array of numbers.</summary>
    internal byte[] Value { get; } = Value;

    /// <summary>The payload as lower-case hex.</summary>
    public string Hex => Convert.ToHexString(Value).ToLowerInvariant();

    public override string ToString() => $"{Type}:{Hex}";
}
