namespace SnatTools.Core.Rules;

/// <summary>
/// Masquerade (source address of the outgoing interface) or SNAT (explicit addresses); Unknown
/// when the rule could not be read far enough to see its NAT statement or target.
/// </summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
// New values go at the end so the numbers of the existing ones never change.
public enum SnatAction : long
{
    Masquerade,
    Snat,
    Unknown,
}
