using System.Globalization;
using System.Text;

namespace SnatTools.Core.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4), as node_exporter's textfile collector
/// reads it: per family "# HELP name text", "# TYPE name counter|gauge", then one
/// "name{label="value",...} number" line per sample; "\n" line ends, UTF-8.
/// </summary>
public static class PrometheusText
{
    public static string Format(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type == MetricType.Counter ? "counter" : "gauge").Append('\n');
            foreach (var sample in family.Samples)
            {
                text.Append(family.Name);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{');
                    for (int i = 0; i < sample.Labels.Count; i++)
                    {
                        text.Append(i == 0 ? string.Empty : ",").Append(sample.Labels[i].Key).Append("=\"").Append(EscapeLabelValue(sample.Labels[i].Value)).Append('"');
                    }

                    text.Append('}');
                }

                text.Append(' ').Append(Number(sample.Value)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A sample value: integers without a fraction, others round-trippable, Go's spellings for infinities and NaN.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>HELP text escapes backslash and line feed.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
