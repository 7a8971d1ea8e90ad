namespace SnatTools.Core.Rules;

/// <summary>A part of a rule that was not decoded: what it is, why, and its bytes as hex.</summary>
public sealed record UnknownPart(string Name, string Reason, string Hex)
{
    public override string ToString() => Hex.Length > 0 ? $"{Name}: {Reason} ({Hex})" : $"{Name}: {Reason}";
}
