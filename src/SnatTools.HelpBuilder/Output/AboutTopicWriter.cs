using System.Globalization;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using SnatTools.HelpBuilder.Markdown;
using SnatTools.HelpBuilder.Model;

namespace SnatTools.HelpBuilder.Output;

/// <summary>
/// Turns <c>docs/about_X.md</c> (<c># about_X</c>, <c>## Short description</c>, <c>## Long description</c>,
/// more <c>##</c> sections) into the plain text Get-Help shows for an about topic: headings in
/// capitals at the margin, text indented four and wrapped at 80 columns, code indented eight.
/// </summary>
public sealed class AboutTopicWriter
{
    private const string Body = "    ";
    private const string CodeIndent = "        ";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();

    private readonly string _file;
    private readonly List<string> _lines = [];

    private AboutTopicWriter(string file) => _file = file;

    public static string RenderFile(string path) => Render(File.ReadAllText(path), path);

    public static string Render(string markdown, string file) => new AboutTopicWriter(file).Write(markdown);

    private string Write(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        var blocks = document.Where(b => b is not YamlFrontMatterBlock).ToList();
        var titles = blocks.OfType<HeadingBlock>().Where(h => h.Level == 1).ToList();
        string expected = Path.GetFileNameWithoutExtension(_file);
        if (titles.Count != 1 || MarkdownText.Inline(titles[0].Inline) != expected)
        {
            throw new DocFormatException(_file, titles.Count > 0 ? titles[^1].Line + 1 : 1, $"expected exactly one heading '# {expected}'");
        }

        var sections = DocSection.Split(blocks.Where(b => b != titles[0]), 2, out var leading);
        if (leading.FirstOrDefault() is { } stray)
        {
            throw new DocFormatException(_file, stray.Line + 1, "text before '## Short description'");
        }

        string[] required = ["Short description", "Long description"];
        for (int i = 0; i < required.Length; i++)
        {
            if (sections.Count <= i || !sections[i].Title.Equals(required[i], StringComparison.OrdinalIgnoreCase))
            {
                throw new DocFormatException(_file, sections.Count > i ? sections[i].Line : 1, $"section {i + 1} must be '## {required[i]}'");
            }

            if (sections[i].Blocks.Count == 0 && sections[i].Subsections.Count == 0)
            {
                throw new DocFormatException(_file, sections[i].Line, $"'## {required[i]}' is empty");
            }
        }

        _lines.Add("TOPIC");
        _lines.Add(Body + expected);
        foreach (var section in sections)
        {
            WriteSection(section, string.Empty);
        }

        return string.Join("\n", _lines) + "\n";
    }

    private void WriteSection(DocSection section, string headingIndent)
    {
        _lines.Add(string.Empty);
        _lines.Add(headingIndent + section.Title.ToUpper(CultureInfo.InvariantCulture));
        WriteBlocks(section.Blocks, Body);
        foreach (var subsection in section.Subsections)
        {
            WriteSection(subsection, headingIndent + "  ");
        }
    }

    private void WriteBlocks(IEnumerable<Block> blocks, string indent)
    {
        bool first = true;
        foreach (var block in blocks)
        {
            if (!first)
            {
                _lines.Add(string.Empty);
            }

            first = false;
            WriteBlock(block, indent);
        }
    }

    private void WriteBlock(Block block, string indent)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                _lines.AddRange(TextWrapper.Wrap(MarkdownText.Inline(paragraph.Inline, withUrls: true), indent, indent));
                break;
            case FencedCodeBlock or CodeBlock:
                _lines.AddRange(MarkdownText.CodeLines((LeafBlock)block).Select(l => l.Length == 0 ? l : indent + "    " + l));
                break;
            case ListBlock list:
                WriteList(list, indent);
                break;
            case QuoteBlock quote:
                WriteBlocks(quote, indent + "    ");
                break;
            case Table table:
                WriteTable(table, indent);
                break;
            case HeadingBlock heading:
                _lines.Add(indent + MarkdownText.Inline(heading.Inline).ToUpper(CultureInfo.InvariantCulture));
                break;
            case ThematicBreakBlock:
                break;
            default:
                throw new DocFormatException(_file, block.Line + 1, $"cannot render a {block.GetType().Name} as text; use paragraphs, lists, tables or fenced code");
        }
    }

    private void WriteList(ListBlock list, string indent)
    {
        int number = int.TryParse(list.OrderedStart, out int start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            string bullet = list.IsOrdered ? $"{number++}. " : "- ";
            string hanging = indent + new string(' ', bullet.Length);
            bool firstBlock = true;
            foreach (var inner in item)
            {
                if (firstBlock && inner is ParagraphBlock paragraph)
                {
                    _lines.AddRange(TextWrapper.Wrap(MarkdownText.Inline(paragraph.Inline, withUrls: true), indent + bullet, hanging));
                }
                else
                {
                    WriteBlock(inner, hanging);
                }

                firstBlock = false;
            }
        }
    }

    private void WriteTable(Table table, string indent)
    {
        var rows = table.OfType<TableRow>()
            .Select(row => row.OfType<TableCell>().Select(cell => string.Join(" ", cell.SelectMany(MarkdownText.Paragraphs))).ToList())
            .ToList();
        int columns = rows.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Count ? r[c].Length : 0)).ToList();
        string Line(IReadOnlyList<string> cells) =>
            (indent + string.Join("  ", Enumerable.Range(0, columns).Select(c => (c < cells.Count ? cells[c] : string.Empty).PadRight(widths[c])))).TrimEnd();

        for (int i = 0; i < rows.Count; i++)
        {
            _lines.Add(Line(rows[i]));
            if (i == 0 && ((TableRow)table[0]).IsHeader)
            {
                _lines.Add(Line(widths.Select(w => new string('-', w)).ToList()));
            }
        }
    }
}
