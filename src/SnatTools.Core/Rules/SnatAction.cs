namespace SnatTools.Core.Rules;

/// <summary>Masquerade (source address of the outgoing interface) or SNAT (explicit addresses).</summary>
public enum SnatAction
{
    Masquerade,
    Snat,
}
