using SnatTools.HelpBuilder.Model;
using SnatTools.HelpBuilder.Output;

namespace SnatTools.Tests.HelpBuilder;

public sealed class AboutTopicWriterTests
{
    private const string Topic = """
        # about_Widget

        ## Short description
        Widgets, briefly.

        ## Long description
        Widgets are a long story that does not fit on one line of a terminal, so this paragraph has to be wrapped at eighty columns by the builder.

        ```powershell
        Get-Widget | Set-Widget -Round
        ```

        - a point that is also long enough to need wrapping when it is written out with its bullet and hanging indent
        - `code` and [a link](https://example.org/w) and **strong** text

        | Tool | Sets it |
        |------|---------|
        | kube-proxy | yes |
        | Docker | no |

        ### Finer points
        More text.

        ## See also
        [Get-Widget](Get-Widget.md)
        """;

    private static string[] Render() => AboutTopicWriter.Render(Topic, "docs/about_Widget.md").Split('\n');

    [Fact]
    public void The_topic_opens_with_its_name_and_capital_headings()
    {
        var lines = Render();
        Assert.Equal(["TOPIC", "    about_Widget", "", "SHORT DESCRIPTION", "    Widgets, briefly.", "", "LONG DESCRIPTION"], lines[..7]);
        Assert.Contains("  FINER POINTS", lines);
        Assert.Contains("SEE ALSO", lines);
        Assert.Contains("    Get-Widget", lines);
    }

    [Fact]
    public void Text_is_wrapped_at_80_columns_and_code_indented_eight()
    {
        var lines = Render();
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"too long: '{line}'"));
        Assert.Contains("        Get-Widget | Set-Widget -Round", lines);
        int bullet = Array.FindIndex(lines, l => l.StartsWith("    - a point", StringComparison.Ordinal));
        Assert.StartsWith("      ", lines[bullet + 1], StringComparison.Ordinal);
        Assert.Contains("    - `code` and a link (https://example.org/w) and strong text", lines);
    }

    [Fact]
    public void Tables_become_aligned_columns()
    {
        var lines = Render();
        Assert.Contains("    Tool        Sets it", lines);
        Assert.Contains("    ----------  -------", lines);
        Assert.Contains("    kube-proxy  yes", lines);
    }

    [Fact]
    public void A_topic_without_a_short_description_is_refused()
    {
        string broken = Topic.Replace("## Short description\nWidgets, briefly.\n\n", "", StringComparison.Ordinal);
        var error = Assert.Throws<DocFormatException>(() => AboutTopicWriter.Render(broken, "docs/about_Widget.md"));
        Assert.Contains("must be '## Short description'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("docs/about_Widget.md:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_topic_titled_differently_from_its_file_is_refused()
    {
        Assert.Throws<DocFormatException>(() => AboutTopicWriter.Render(Topic, "docs/about_Gadget.md"));
    }
}
