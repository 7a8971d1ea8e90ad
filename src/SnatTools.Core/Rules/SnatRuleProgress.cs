namespace SnatTools.Core.Rules;

/// <summary>Progress of a long read (-AllChains on a big table): chains read so far of those known.</summary>
public sealed record SnatRuleProgress(string Activity, int Done, int Total);
