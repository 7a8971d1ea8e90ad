using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// An expression this version does not decode (or could not re-encode byte for byte): kept with
/// its name and bytes, never dropped. A rule holding one is shown with Decoded = $false and is
/// never rewritten.
/// </summary>
public sealed class UnknownExpression : Expression
{
    private readonly byte[] _data;

    public UnknownExpression(string name, byte[] data, string reason)
        : base([], data)
    {
        Name = name;
        _data = data;
        Reason = reason;
    }

    public override string Name { get; }

    /// <summary>Why it is unknown: not a known type, or the typed decoder refused the bytes.</summary>
    public string Reason { get; }

    /// <summary>Unknown bytes are written back verbatim.</summary>
    protected override void WriteData(NetlinkWriter writer) => writer.PutRaw(_data);

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType) =>
        throw new InvalidOperationException("an unknown expression has no typed attributes");

    public override string ToString() => $"[ {Name} ? {Convert.ToHexString(_data).ToLowerInvariant()} ]";
}
