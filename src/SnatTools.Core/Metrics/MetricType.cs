namespace SnatTools.Core.Metrics;

/// <summary>The Prometheus metric types this exporter writes (# TYPE lines).</summary>
public enum MetricType
{
    /// <summary>Only ever grows (resets when the host restarts or a per-CPU 32-bit counter wraps).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,
}
