namespace SnatTools.Core.Rules;

/// <summary>The address family a rule applies to; nftables inet tables serve both.</summary>
public enum SnatFamily
{
    IPv4,
    IPv6,
    Inet,
}
