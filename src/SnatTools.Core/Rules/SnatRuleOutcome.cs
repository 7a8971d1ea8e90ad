namespace SnatTools.Core.Rules;

/// <summary>What Set-SnatRule did with one rule.</summary>
public enum SnatRuleOutcome
{
    /// <summary>The rule was rewritten with the new flags.</summary>
    Changed,

    /// <summary>The kernel already held the rule with the wanted flags: nothing was written.</summary>
    AlreadySet,

    /// <summary>Nothing was written for this rule; <see cref="SnatRuleChange.Error"/> says why.</summary>
    Failed,
}
