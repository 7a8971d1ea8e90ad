namespace SnatTools.Core.Rules;

/// <summary>Masquerade (source address of the outgoing interface) or SNAT (explicit addresses).</summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum SnatAction : long
{
    Masquerade,
    Snat,
}
