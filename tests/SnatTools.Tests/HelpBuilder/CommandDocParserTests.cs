using SnatTools.HelpBuilder.Markdown;
using SnatTools.HelpBuilder.Model;

namespace SnatTools.Tests.HelpBuilder;

public sealed class CommandDocParserTests
{
    private static CommandHelp Parse(string doc) => CommandDocParser.Parse(doc, SampleDocs.FileName);

    private static DocFormatException Broken(string doc) => Assert.Throws<DocFormatException>(() => Parse(doc));

    [Fact]
    public void A_page_in_the_schema_is_read_section_by_section()
    {
        var help = Parse(SampleDocs.Valid);

        Assert.Equal("Get-Widget", help.Name);
        Assert.Equal(("Get", "Widget"), (help.Verb, help.Noun));
        Assert.Equal("Widget.dll-Help.xml", help.HelpFile);
        Assert.Equal(["Gets widgets."], help.Synopsis);
        Assert.Equal(["Gets widgets from the `widget` table, one object per widget.", "- first point", "- second point"], help.Description);
        Assert.Equal(["Widgets are round by default."], help.Notes);
        Assert.Equal([new RelatedLink("Set-Widget", ""), new RelatedLink("Online", "https://example.org/get-widget")], help.RelatedLinks);
        var input = Assert.Single(help.Inputs);
        Assert.Equal(("System.String[]", "Names by property name."), (input.TypeName, Assert.Single(input.Description)));
        Assert.Equal("Widget.WidgetInfo", Assert.Single(help.Outputs).TypeName);
    }

    [Fact]
    public void Syntax_sets_keep_their_parameters_in_the_order_the_syntax_lists_them()
    {
        var help = Parse(SampleDocs.Valid);

        Assert.Equal(2, help.Syntax.Count);
        Assert.Equal(("ByName", true), (help.Syntax[0].Name, help.Syntax[0].IsDefault));
        Assert.Equal(["Name", "Kind"], help.Syntax[0].ParameterNames);
        Assert.Equal(("Live", false), (help.Syntax[1].Name, help.Syntax[1].IsDefault));
        Assert.Equal(["Name", "Live"], help.Syntax[1].ParameterNames);
    }

    [Fact]
    public void Examples_separate_the_code_from_the_output_and_the_remarks()
    {
        var example = Parse(SampleDocs.Valid).Examples[0];

        Assert.Equal("Example 1: All widgets", example.Title);
        Assert.Equal("Get-Widget", example.Code);
        Assert.Equal(["Name Kind\n---- ----\na    Round", "Lists every widget. See the site."], example.Remarks);
    }

    [Fact]
    public void An_empty_output_block_is_an_empty_remark_not_a_crash()
    {
        string doc = SampleDocs.Valid.Replace("```output\nName Kind\n---- ----\na    Round\n```", "```output\n```", StringComparison.Ordinal);
        Assert.NotEqual(SampleDocs.Valid, doc);

        var example = Parse(doc).Examples[0];
        Assert.Equal(["", "Lists every widget. See the site."], example.Remarks);
    }

    [Fact]
    public void Parameter_yaml_becomes_typed_metadata()
    {
        var parameters = Parse(SampleDocs.Valid).Parameters;

        Assert.Equal(["Name", "Kind", "Live"], parameters.Select(p => p.Name));
        var name = Assert.Single(parameters[0].Metadata);
        Assert.Equal(new ParameterMetadata("String[]", ["(All)"], ["FullName"], [], false, "0", "All widgets", "True (ByPropertyName)", true), name, new MetadataComparer());
        var kind = Assert.Single(parameters[1].Metadata);
        Assert.Equal(["Round", "Square"], kind.AcceptedValues);
        Assert.Equal("named", kind.Position);
        Assert.NotNull(parameters[1].In("ByName"));
        Assert.Null(parameters[1].In("Live"));
        Assert.True(Assert.Single(parameters[2].Metadata) is { IsSwitch: true, Required: true });
    }

    [Theory]
    [InlineData("## NOTES")]
    [InlineData("## RELATED LINKS")]
    public void Notes_and_related_links_may_be_left_out(string heading)
    {
        string doc = RemoveSection(SampleDocs.Valid, heading);
        Assert.NotNull(Parse(doc));
    }

    [Theory]
    [InlineData("## SYNOPSIS")]
    [InlineData("## DESCRIPTION")]
    [InlineData("## EXAMPLES")]
    [InlineData("## INPUTS")]
    [InlineData("## OUTPUTS")]
    public void A_missing_section_is_refused(string heading)
    {
        var error = Broken(RemoveSection(SampleDocs.Valid, heading));
        Assert.Contains($"missing section '{heading}'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{SampleDocs.FileName}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_without_yaml_is_refused_at_its_heading()
    {
        string doc = ReplaceBetween(SampleDocs.Valid, "### -Kind", "### -Live", "### -Kind\nThe kind.\n\n");
        var error = Broken(doc);
        Assert.Equal(SampleDocs.LineOf(doc, "### -Kind"), error.Line);
        Assert.Contains("-Kind has no ```yaml block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_without_a_description_is_refused()
    {
        var error = Broken(SampleDocs.Valid.Replace("The kind.\n", "", StringComparison.Ordinal));
        Assert.Contains("-Kind has no description", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_yaml_key_is_refused_at_its_line()
    {
        string doc = SampleDocs.Valid.Replace("Type: WidgetKind", "Typ: WidgetKind", StringComparison.Ordinal);
        var error = Broken(doc);
        Assert.Equal(SampleDocs.LineOf(doc, "Typ: WidgetKind"), error.Line);
        Assert.Contains("unknown parameter yaml key 'Typ'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_block_missing_a_key_is_refused()
    {
        var error = Broken(SampleDocs.Valid.Replace("Position: Named\nDefault value: None\n", "Default value: None\n", StringComparison.Ordinal));
        Assert.Contains("lacks Position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_that_lists_an_undocumented_parameter_is_refused()
    {
        var error = Broken(SampleDocs.Valid.Replace("[-Kind <WidgetKind>]", "[-Kind <WidgetKind>] [-Colour <String>]", StringComparison.Ordinal));
        Assert.Contains("lists -Colour, which '## PARAMETERS' does not document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_documented_parameter_missing_from_its_set_syntax_is_refused()
    {
        var error = Broken(SampleDocs.Valid.Replace(" [-Kind <WidgetKind>]", "", StringComparison.Ordinal));
        Assert.Contains("-Kind belongs to set 'ByName'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_set_that_the_syntax_does_not_have_is_refused()
    {
        var error = Broken(SampleDocs.Valid.Replace("Parameter Sets: ByName", "Parameter Sets: ByKind", StringComparison.Ordinal));
        Assert.Contains("names parameter set 'ByKind'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_example_without_powershell_code_is_refused()
    {
        string doc = SampleDocs.Valid.Replace("```powershell\nGet-Widget -Live\n```", "```\nGet-Widget -Live\n```", StringComparison.Ordinal);
        var error = Broken(doc);
        Assert.Contains("must be ```powershell", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_example_without_remarks_is_refused()
    {
        var error = Broken(SampleDocs.Valid.Replace("This example needs root.\n", "", StringComparison.Ordinal));
        Assert.Contains("has no remarks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Examples_are_numbered_from_one()
    {
        string doc = SampleDocs.Valid.Replace("### Example 2:", "### Example 3:", StringComparison.Ordinal);
        var error = Broken(doc);
        Assert.Equal(SampleDocs.LineOf(doc, "### Example 3:"), error.Line);
    }

    [Fact]
    public void Sections_out_of_order_are_refused()
    {
        string notes = "## NOTES\nWidgets are round by default.\n\n";
        string doc = SampleDocs.Valid.Replace(notes, "", StringComparison.Ordinal).Replace("## INPUTS", notes + "## INPUTS", StringComparison.Ordinal);
        Assert.Contains("out of order", Broken(doc).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_named_differently_from_its_file_is_refused()
    {
        var error = Assert.Throws<DocFormatException>(() => CommandDocParser.Parse(SampleDocs.Valid, "Get-Gadget.md"));
        Assert.Equal(SampleDocs.LineOf(SampleDocs.Valid, "# Get-Widget"), error.Line);
    }

    [Fact]
    public void A_page_without_front_matter_is_refused_at_line_one()
    {
        var error = Broken(SampleDocs.Valid[SampleDocs.Valid.IndexOf("# Get-Widget", StringComparison.Ordinal)..]);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_page_without_CommonParameters_is_refused()
    {
        var error = Broken(SampleDocs.Valid.Replace("### CommonParameters\nThis cmdlet supports the common parameters.\n", "", StringComparison.Ordinal));
        Assert.Contains("lacks '### CommonParameters'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Removes the section that starts at <paramref name="heading"/> up to the next <c>## </c> heading.</summary>
    internal static string RemoveSection(string doc, string heading)
    {
        int start = doc.IndexOf(heading + "\n", StringComparison.Ordinal);
        int next = doc.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return next < 0 ? doc[..start] : doc[..start] + doc[(next + 1)..];
    }

    private static string ReplaceBetween(string doc, string from, string to, string replacement)
    {
        int start = doc.IndexOf(from, StringComparison.Ordinal);
        int end = doc.IndexOf(to, start, StringComparison.Ordinal);
        return doc[..start] + replacement + doc[end..];
    }

    private sealed class MetadataComparer : IEqualityComparer<ParameterMetadata>
    {
        public bool Equals(ParameterMetadata? x, ParameterMetadata? y) =>
            x is not null && y is not null && x.Type == y.Type && x.ParameterSets.SequenceEqual(y.ParameterSets) && x.Aliases.SequenceEqual(y.Aliases)
            && x.AcceptedValues.SequenceEqual(y.AcceptedValues) && x.Required == y.Required && x.Position == y.Position
            && x.DefaultValue == y.DefaultValue && x.PipelineInput == y.PipelineInput && x.Globbing == y.Globbing;

        public int GetHashCode(ParameterMetadata obj) => obj.Type.GetHashCode(StringComparison.Ordinal);
    }
}
