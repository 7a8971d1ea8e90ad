namespace SnatTools.Core.Metrics;

/// <summary>One line of a metric family: its labels (in order) and value.</summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
