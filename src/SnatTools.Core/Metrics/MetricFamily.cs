namespace SnatTools.Core.Metrics;

/// <summary>
/// A metric and all its samples: written once, with its # HELP and # TYPE lines, however many
/// namespaces contributed (node_exporter refuses a file that repeats a family).
/// </summary>
public sealed class MetricFamily
{
    private readonly List<MetricSample> _samples = [];

    public MetricFamily(string name, MetricType type, string help)
    {
        Name = name;
        Type = type;
        Help = help;
    }

    public string Name { get; }

    public MetricType Type { get; }

    public string Help { get; }

    public IReadOnlyList<MetricSample> Samples => _samples;

    public void Add(double value, params (string Name, string Value)[] labels) =>
        _samples.Add(new MetricSample(labels.Select(l => KeyValuePair.Create(l.Name, l.Value)).ToArray(), value));
}
