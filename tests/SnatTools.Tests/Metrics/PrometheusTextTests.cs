using SnatTools.Core;
using SnatTools.Core.Metrics;

namespace SnatTools.Tests.Metrics;

public sealed class PrometheusTextTests
{
    [Fact]
    public void A_family_is_help_type_and_its_samples_with_escaped_label_values()
    {
        var family = new MetricFamily("snattools_test_total", MetricType.Counter, "Line one\nback\\slash");
        family.Add(3, ("namespace", "web"), ("cpu", "0"));
        family.Add(0.25, ("namespace", "quote\"back\\slash\nnewline"), ("cpu", "1"));
        var gauge = new MetricFamily("snattools_empty", MetricType.Gauge, "Unlabelled.");
        gauge.Add(262144);

        Assert.Equal(
            "# HELP snattools_test_total Line one\\nback\\\\slash\n" +
            "# TYPE snattools_test_total counter\n" +
            "snattools_test_total{namespace=\"web\",cpu=\"0\"} 3\n" +
            "snattools_test_total{namespace=\"quote\\\"back\\\\slash\\nnewline\",cpu=\"1\"} 0.25\n" +
            "# HELP snattools_empty Unlabelled.\n" +
            "# TYPE snattools_empty gauge\n" +
            "snattools_empty 262144\n",
            PrometheusText.Format([family, gauge]));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(4294967295, "4294967295")]
    [InlineData(0.001550387596899225, "0.001550387596899225")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Numbers_are_written_as_Go_parses_them(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.Number(value));

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("web", "web")]
    [InlineData("/run/netns/web", "web")]
    [InlineData("/proc/1234/ns/net", "/proc/1234/ns/net")]
    public void A_namespace_is_labelled_by_its_name_however_it_was_given(string? given, string label) =>
        Assert.Equal(label, SnatMetrics.NamespaceLabel(given));

    [Fact]
    public void A_file_is_replaced_whole_and_no_temporary_file_stays()
    {
        string dir = Directory.CreateTempSubdirectory("snattools-atomic-").FullName;
        try
        {
            string path = Path.Combine(dir, "x.prom");
            File.WriteAllText(path, "old");
            using (var old = File.OpenRead(path))
            {
                AtomicFile.WriteAllText(path, "new\n");
                Assert.Equal("old", new StreamReader(old).ReadToEnd());
            }

            Assert.Equal("new\n", File.ReadAllText(path));
            Assert.Equal(["x.prom"], Directory.GetFiles(dir).Select(Path.GetFileName));
            var missing = Assert.Throws<SnatToolsException>(() => AtomicFile.WriteAllText(Path.Combine(dir, "no", "x.prom"), "x"));
            Assert.Equal(ErrorIds.MetricFileNotWritten, missing.ErrorId);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
