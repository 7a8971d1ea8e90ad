namespace SnatTools.Core.Rules;

/// <summary>
/// What Set-SnatRule needs to find the exact kernel rule again and rewrite it, never re-matching
/// by text: <see cref="NftRuleLocator"/> or <see cref="LegacyRuleLocator"/>.
/// </summary>
public abstract record RuleLocator;
