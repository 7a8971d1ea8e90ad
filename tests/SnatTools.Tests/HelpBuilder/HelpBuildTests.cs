using SnatTools.HelpBuilder;
using SnatTools.HelpBuilder.Markdown;
using SnatTools.HelpBuilder.Model;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.HelpBuilder;

public sealed class HelpBuildTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("snattools-help-").FullName;

    private string Docs => Path.Combine(_work, "docs");

    private string Out => Path.Combine(_work, "en-US");

    public HelpBuildTests() => Directory.CreateDirectory(Docs);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Every_page_in_the_repository_docs_keeps_the_schema()
    {
        string docs = Path.Combine(RepositoryRoot(), "docs");
        var pages = Directory.GetFiles(docs, "*.md").Where(p => !Path.GetFileName(p).StartsWith("about_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pages);
        foreach (string page in pages)
        {
            var help = CommandDocParser.ParseFile(page);
            Assert.Equal("SnatTools.dll-Help.xml", help.HelpFile);
            Assert.NotEmpty(help.Examples);
        }
    }

    [Fact]
    public void One_maml_file_and_one_text_file_per_about_topic_are_written()
    {
        File.WriteAllText(Path.Combine(Docs, SampleDocs.FileName), SampleDocs.Valid);
        File.WriteAllText(Path.Combine(Docs, "about_Widget.md"), "# about_Widget\n\n## Short description\nW.\n\n## Long description\nWidgets.\n");

        var written = HelpBuild.Run(Docs, Out);

        Assert.Equal([Path.Combine(Out, "Widget.dll-Help.xml"), Path.Combine(Out, "about_Widget.help.txt")], written);
        Assert.StartsWith("TOPIC", File.ReadAllText(written[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_written_when_any_page_is_broken()
    {
        File.WriteAllText(Path.Combine(Docs, SampleDocs.FileName), SampleDocs.Valid);
        File.WriteAllText(Path.Combine(Docs, "Get-Gadget.md"), SampleDocs.Valid.Replace("Get-Widget", "Get-Gadget", StringComparison.Ordinal).Replace("Type: WidgetKind\n", "", StringComparison.Ordinal));

        var error = Assert.Throws<AggregateException>(() => HelpBuild.Run(Docs, Out));

        var broken = Assert.IsType<DocFormatException>(Assert.Single(error.InnerExceptions));
        Assert.EndsWith("Get-Gadget.md", broken.File, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void The_builder_exits_non_zero_with_file_and_line_on_a_broken_page()
    {
        string page = Path.Combine(Docs, SampleDocs.FileName);
        File.WriteAllText(page, SampleDocs.Valid.Replace("Accept wildcard characters: True", "Accept wildcard characters: Sometimes", StringComparison.Ordinal));
        string builder = Path.Combine(AppContext.BaseDirectory, "SnatTools.HelpBuilder.dll");

        var (exit, _, stderr) = Cli.Execute(null, "dotnet", builder, Docs, Out);

        Assert.Equal(1, exit);
        int line = SampleDocs.LineOf(SampleDocs.Valid, "Accept wildcard characters: True");
        Assert.Contains($"{page}:{line}: -Name: Accept wildcard characters must be True or False, got 'Sometimes'", stderr, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SnatTools.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SnatTools.sln not found above the test output.");
    }
}
