namespace SnatTools.Core.Rules;

/// <summary>The address family a rule applies to; nftables inet tables serve both.</summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum SnatFamily : long
{
    IPv4,
    IPv6,
    Inet,
}
