using System.Xml.Linq;
using SnatTools.HelpBuilder.Markdown;
using SnatTools.HelpBuilder.Output;

namespace SnatTools.Tests.HelpBuilder;

public sealed class MamlWriterTests
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static XElement Widget() =>
        MamlWriter.Build([CommandDocParser.Parse(SampleDocs.Valid, SampleDocs.FileName)]).Root!.Element(Command + "command")!;

    private static string Paras(XElement? parent) => string.Join("|", parent!.Elements(Maml + "para").Select(p => p.Value));

    [Fact]
    public void The_document_is_the_helpItems_maml_that_GetHelp_reads()
    {
        var root = MamlWriter.Build([CommandDocParser.Parse(SampleDocs.Valid, SampleDocs.FileName)]).Root!;
        Assert.Equal(Msh + "helpItems", root.Name);
        Assert.Equal("maml", root.Attribute("schema")?.Value);

        var details = Widget().Element(Command + "details")!;
        Assert.Equal("Get-Widget", details.Element(Command + "name")?.Value);
        Assert.Equal("Get", details.Element(Command + "verb")?.Value);
        Assert.Equal("Widget", details.Element(Command + "noun")?.Value);
        Assert.Equal("Gets widgets.", Paras(details.Element(Maml + "description")));
        Assert.Equal("Gets widgets from the `widget` table, one object per widget.|- first point|- second point", Paras(Widget().Element(Maml + "description")));
    }

    [Fact]
    public void Each_parameter_set_is_a_syntax_item_with_its_own_parameters()
    {
        var items = Widget().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["Name", "Kind"], items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        Assert.Equal(["Name", "Live"], items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));

        var kind = items[0].Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Kind");
        Assert.Equal(["Round", "Square"], kind.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));

        // A switch carries no value in the syntax, so Get-Help prints [-Live] rather than [-Live <SwitchParameter>].
        var live = items[1].Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Live");
        Assert.Null(live.Element(Command + "parameterValue"));
        Assert.Equal("true", live.Attribute("required")?.Value);
    }

    [Fact]
    public void Parameters_carry_the_yaml_attributes_type_default_and_description()
    {
        var name = Widget().Element(Command + "parameters")!.Elements(Command + "parameter").First();
        Assert.Equal("Name", name.Element(Maml + "name")?.Value);
        Assert.Equal("false", name.Attribute("required")?.Value);
        Assert.Equal("0", name.Attribute("position")?.Value);
        Assert.Equal("True (ByPropertyName)", name.Attribute("pipelineInput")?.Value);
        Assert.Equal("true", name.Attribute("globbing")?.Value);
        Assert.Equal("FullName", name.Attribute("aliases")?.Value);
        Assert.Equal("String[]", name.Element(Command + "parameterValue")?.Value);
        Assert.Equal("String[]", name.Element(Dev + "type")?.Element(Maml + "name")?.Value);
        Assert.Equal("All widgets", name.Element(Dev + "defaultValue")?.Value);
        Assert.Equal("Names of widgets; wildcards allowed.", Paras(name.Element(Maml + "description")));
    }

    [Fact]
    public void Examples_inputs_outputs_notes_and_links_are_written()
    {
        var command = Widget();
        var example = command.Element(Command + "examples")!.Elements(Command + "example").First();
        Assert.Contains("Example 1: All widgets", example.Element(Maml + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal("Get-Widget", example.Element(Dev + "code")?.Value);
        Assert.Equal("Name Kind\n---- ----\na    Round|Lists every widget. See the site.", Paras(example.Element(Dev + "remarks")));

        Assert.Equal("System.String[]", command.Descendants(Command + "inputType").Single().Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("Widget.WidgetInfo", command.Descendants(Command + "returnValue").Single().Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("Widgets are round by default.", Paras(command.Element(Maml + "alertSet")!.Element(Maml + "alert")));
        Assert.Equal(
            [("Set-Widget", ""), ("Online", "https://example.org/get-widget")],
            command.Element(Maml + "relatedLinks")!.Elements(Maml + "navigationLink").Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)));
    }
}
