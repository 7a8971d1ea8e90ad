using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using SnatTools.HelpBuilder.Model;

namespace SnatTools.HelpBuilder.Markdown;

/// <summary>
/// Reads one <c>docs/&lt;Cmdlet&gt;.md</c> in PlatyPS's schema (2.0.0) into a <see cref="CommandHelp"/>,
/// and refuses a page that breaks it with a <see cref="DocFormatException"/> at the offending line.
/// </summary>
public sealed partial class CommandDocParser
{
    private static readonly string[] SectionOrder =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    private static readonly string[] OptionalSections = ["NOTES", "RELATED LINKS"];

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    private readonly string _file;

    private CommandDocParser(string file) => _file = file;

    public static CommandHelp ParseFile(string path) => Parse(File.ReadAllText(path), path);

    public static CommandHelp Parse(string markdown, string file) => new CommandDocParser(file).Read(markdown);

    private CommandHelp Read(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        if (document.FirstOrDefault() is not YamlFrontMatterBlock frontMatter)
        {
            throw Fail(1, "missing the YAML front matter (---, external help file: ..., ---)");
        }

        string helpFile = FrontMatterValue(frontMatter, "external help file");
        var headings1 = document.OfType<HeadingBlock>().Where(h => h.Level == 1).ToList();
        if (headings1.Count != 1)
        {
            throw Fail(headings1.Count > 1 ? headings1[1].Line + 1 : 1, "expected exactly one '# <Cmdlet name>' heading");
        }

        string name = MarkdownText.Inline(headings1[0].Inline);
        string expected = Path.GetFileNameWithoutExtension(_file);
        if (!name.Equals(expected, StringComparison.Ordinal))
        {
            throw Fail(headings1[0].Line + 1, $"the page is named '{name}' but the file is {expected}.md");
        }

        var sections = DocSection.Split(document.Skip(1).Where(b => b != headings1[0]), 2, out var leading);
        if (leading.FirstOrDefault() is { } stray)
        {
            throw Fail(stray.Line + 1, "text before '## SYNOPSIS'");
        }

        var byTitle = CheckSections(sections);
        var parameters = ReadParameters(byTitle["PARAMETERS"]);
        var syntax = ReadSyntax(byTitle["SYNTAX"], name, parameters);

        return new CommandHelp(
            name,
            helpFile,
            Prose(byTitle["SYNOPSIS"], required: true, allowSubsections: false),
            syntax,
            Prose(byTitle["DESCRIPTION"], required: true, allowSubsections: true),
            ReadExamples(byTitle["EXAMPLES"]),
            parameters,
            ReadTypes(byTitle["INPUTS"]),
            ReadTypes(byTitle["OUTPUTS"]),
            byTitle.TryGetValue("NOTES", out var notes) ? Prose(notes, required: false, allowSubsections: true) : [],
            byTitle.TryGetValue("RELATED LINKS", out var links) ? ReadLinks(links) : []);
    }

    private Dictionary<string, DocSection> CheckSections(IReadOnlyList<DocSection> sections)
    {
        var byTitle = new Dictionary<string, DocSection>(StringComparer.Ordinal);
        int lastIndex = -1;
        foreach (var section in sections)
        {
            int index = Array.IndexOf(SectionOrder, section.Title);
            if (index < 0)
            {
                throw Fail(section.Line, $"unknown section '## {section.Title}' (expected one of {string.Join(", ", SectionOrder)})");
            }

            if (!byTitle.TryAdd(section.Title, section))
            {
                throw Fail(section.Line, $"section '## {section.Title}' appears twice");
            }

            if (index < lastIndex)
            {
                throw Fail(section.Line, $"section '## {section.Title}' is out of order (expected {string.Join(", ", SectionOrder)})");
            }

            lastIndex = index;
        }

        foreach (string title in SectionOrder.Except(OptionalSections))
        {
            if (!byTitle.ContainsKey(title))
            {
                throw Fail(sections.LastOrDefault()?.Line ?? 1, $"missing section '## {title}'");
            }
        }

        return byTitle;
    }

    private List<string> Prose(DocSection section, bool required, bool allowSubsections)
    {
        if (!allowSubsections && section.Subsections.Count > 0)
        {
            throw Fail(section.Subsections[0].Line, $"'## {section.Title}' takes no subheadings");
        }

        var paragraphs = section.Blocks.SelectMany(MarkdownText.Paragraphs).ToList();
        foreach (var subsection in section.Subsections)
        {
            paragraphs.Add(subsection.Title);
            paragraphs.AddRange(subsection.Blocks.SelectMany(MarkdownText.Paragraphs));
        }

        paragraphs.RemoveAll(p => p.Length == 0);
        if (required && paragraphs.Count == 0)
        {
            throw Fail(section.Line, $"'## {section.Title}' is empty");
        }

        return paragraphs;
    }

    private List<SyntaxSet> ReadSyntax(DocSection section, string name, IReadOnlyList<HelpParameter> parameters)
    {
        var sets = new List<SyntaxSet>();
        if (section.Subsections.Count == 0)
        {
            var code = SingleCodeBlock(section.Blocks, section.Line, "'## SYNTAX'");
            sets.Add(new SyntaxSet(SyntaxSet.AllSets, IsDefault: true, SyntaxParameters(code, name)));
        }
        else
        {
            if (section.Blocks.FirstOrDefault() is { } stray)
            {
                throw Fail(stray.Line + 1, "text in '## SYNTAX' before the first parameter set heading");
            }

            foreach (var subsection in section.Subsections)
            {
                var match = SetHeading().Match(subsection.Title);
                if (!match.Success)
                {
                    throw Fail(subsection.Line, $"'### {subsection.Title}' is not a parameter set name (write 'Name' or 'Name (Default)')");
                }

                var code = SingleCodeBlock(subsection.Blocks, subsection.Line, $"'### {subsection.Title}'");
                sets.Add(new SyntaxSet(match.Groups["name"].Value, match.Groups["default"].Success, SyntaxParameters(code, name)));
            }

            if (sets.Count(s => s.IsDefault) > 1)
            {
                throw Fail(section.Line, "more than one parameter set is marked (Default)");
            }
        }

        CheckSetsAgainstParameters(section, sets, parameters);
        return sets;
    }

    private void CheckSetsAgainstParameters(DocSection section, List<SyntaxSet> sets, IReadOnlyList<HelpParameter> parameters)
    {
        bool named = sets is not [{ Name: SyntaxSet.AllSets }];
        foreach (var parameter in parameters)
        {
            foreach (var metadata in parameter.Metadata.Where(m => named && !m.InAllSets))
            {
                string? unknown = metadata.ParameterSets.FirstOrDefault(s => !sets.Any(set => set.Name.Equals(s, StringComparison.OrdinalIgnoreCase)));
                if (unknown is not null)
                {
                    throw Fail(section.Line, $"-{parameter.Name} names parameter set '{unknown}', which '## SYNTAX' does not have");
                }
            }
        }

        foreach (var set in sets)
        {
            foreach (string listed in set.ParameterNames)
            {
                if (!parameters.Any(p => p.Name.Equals(listed, StringComparison.OrdinalIgnoreCase)))
                {
                    throw Fail(section.Line, $"the syntax of set '{set.Name}' lists -{listed}, which '## PARAMETERS' does not document");
                }
            }

            foreach (var parameter in parameters)
            {
                bool inSet = !named || parameter.In(set.Name) is not null;
                bool listed = set.ParameterNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase);
                if (inSet && !listed)
                {
                    throw Fail(section.Line, $"-{parameter.Name} belongs to set '{set.Name}' by its yaml but that set's syntax does not list it");
                }

                if (!inSet && listed)
                {
                    throw Fail(section.Line, $"the syntax of set '{set.Name}' lists -{parameter.Name} but its yaml Parameter Sets leave that set out");
                }
            }
        }
    }

    private List<string> SyntaxParameters(FencedCodeBlock code, string name)
    {
        string text = MarkdownText.Code(code);
        if (!text.StartsWith(name + " ", StringComparison.Ordinal) && !text.Equals(name, StringComparison.Ordinal))
        {
            throw Fail(code.Line + 2, $"the syntax block must start with '{name}'");
        }

        return SyntaxParameterName().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private FencedCodeBlock SingleCodeBlock(IReadOnlyList<Block> blocks, int line, string where)
    {
        if (blocks is [FencedCodeBlock code])
        {
            return code;
        }

        throw Fail(blocks.FirstOrDefault()?.Line + 1 ?? line, $"{where} must hold exactly one fenced code block with the syntax");
    }

    private List<HelpExample> ReadExamples(DocSection section)
    {
        if (section.Blocks.FirstOrDefault() is { } stray)
        {
            throw Fail(stray.Line + 1, "text in '## EXAMPLES' before the first '### Example 1: ...'");
        }

        if (section.Subsections.Count == 0)
        {
            throw Fail(section.Line, "'## EXAMPLES' has no '### Example 1: ...'");
        }

        var examples = new List<HelpExample>();
        foreach (var subsection in section.Subsections)
        {
            var match = ExampleHeading().Match(subsection.Title);
            if (!match.Success || int.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture) != examples.Count + 1)
            {
                throw Fail(subsection.Line, $"expected '### Example {examples.Count + 1}: <title>', got '### {subsection.Title}'");
            }

            var code = new List<string>();
            var remarks = new List<string>();
            foreach (var block in subsection.Blocks)
            {
                if (block is FencedCodeBlock fenced)
                {
                    string language = fenced.Info?.Trim().ToLowerInvariant() ?? string.Empty;
                    switch (language)
                    {
                        case "powershell":
                            code.Add(MarkdownText.Code(fenced));
                            break;
                        case "output" or "text":
                            remarks.Add(MarkdownText.Code(fenced));
                            break;
                        default:
                            throw Fail(fenced.Line + 1, $"a code block in an example must be ```powershell (the code) or ```output (what it prints), got '```{fenced.Info}'");
                    }
                }
                else
                {
                    remarks.AddRange(MarkdownText.Paragraphs(block).Where(p => p.Length > 0));
                }
            }

            if (code.Count == 0)
            {
                throw Fail(subsection.Line, $"'### {subsection.Title}' has no ```powershell code block");
            }

            if (!subsection.Blocks.Any(b => b is ParagraphBlock or ListBlock))
            {
                throw Fail(subsection.Line, $"'### {subsection.Title}' has no remarks: say what the example shows");
            }

            examples.Add(new HelpExample(subsection.Title, string.Join("\n\n", code), remarks));
        }

        return examples;
    }

    private List<HelpParameter> ReadParameters(DocSection section)
    {
        if (section.Blocks.FirstOrDefault() is { } stray)
        {
            throw Fail(stray.Line + 1, "text in '## PARAMETERS' before the first '### -Name'");
        }

        var parameters = new List<HelpParameter>();
        bool common = false;
        foreach (var subsection in section.Subsections)
        {
            if (subsection.Title == "CommonParameters")
            {
                common = true;
                continue;
            }

            if (!subsection.Title.StartsWith('-') || subsection.Title.Length < 2 || subsection.Title.Contains(' ', StringComparison.Ordinal))
            {
                throw Fail(subsection.Line, $"expected '### -ParameterName' or '### CommonParameters', got '### {subsection.Title}'");
            }

            string name = subsection.Title[1..];
            if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Fail(subsection.Line, $"-{name} is documented twice");
            }

            var description = new List<string>();
            var metadata = new List<ParameterMetadata>();
            foreach (var block in subsection.Blocks)
            {
                if (block is FencedCodeBlock { Info: "yaml" } yaml)
                {
                    metadata.Add(ParameterYaml.Parse(MarkdownText.CodeLines(yaml), (offset, problem) => Fail(yaml.Line + 2 + offset, $"-{name}: {problem}")));
                }
                else if (metadata.Count > 0)
                {
                    throw Fail(block.Line + 1, $"-{name}: prose after the yaml block; put the description above it");
                }
                else
                {
                    description.AddRange(MarkdownText.Paragraphs(block).Where(p => p.Length > 0));
                }
            }

            if (description.Count == 0)
            {
                throw Fail(subsection.Line, $"-{name} has no description");
            }

            if (metadata.Count == 0)
            {
                throw Fail(subsection.Line, $"-{name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters)");
            }

            parameters.Add(new HelpParameter(name, description, metadata));
        }

        if (!common)
        {
            throw Fail(section.Line, "'## PARAMETERS' lacks '### CommonParameters'");
        }

        return parameters;
    }

    private List<HelpTypeEntry> ReadTypes(DocSection section)
    {
        if (section.Blocks.FirstOrDefault() is { } stray)
        {
            throw Fail(stray.Line + 1, $"text in '## {section.Title}' before the first '### TypeName'");
        }

        if (section.Subsections.Count == 0)
        {
            throw Fail(section.Line, $"'## {section.Title}' has no '### TypeName' (write '### None' when there is none)");
        }

        return section.Subsections
            .Select(s => new HelpTypeEntry(s.Title, s.Blocks.SelectMany(MarkdownText.Paragraphs).Where(p => p.Length > 0).ToList()))
            .ToList();
    }

    private List<RelatedLink> ReadLinks(DocSection section)
    {
        var links = new List<RelatedLink>();
        foreach (var block in section.Blocks)
        {
            var found = block is ParagraphBlock { Inline: { } inline } ? inline.Descendants<LinkInline>().ToList() : [];
            if (found.Count == 0)
            {
                throw Fail(block.Line + 1, "'## RELATED LINKS' holds only markdown links, one a paragraph");
            }

            foreach (var link in found)
            {
                string url = link.Url ?? string.Empty;
                bool absolute = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
                links.Add(new RelatedLink(MarkdownText.Inline(link), absolute ? url : string.Empty));
            }
        }

        return links;
    }

    private string FrontMatterValue(YamlFrontMatterBlock frontMatter, string key)
    {
        foreach (string line in MarkdownText.CodeLines(frontMatter))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals(key, StringComparison.OrdinalIgnoreCase) && line[(colon + 1)..].Trim() is { Length: > 0 } value)
            {
                return value;
            }
        }

        throw Fail(frontMatter.Line + 1, $"the front matter lacks '{key}: ...'");
    }

    private DocFormatException Fail(int line, string problem) => new(_file, line, problem);

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9_]+)(?<default>\s+\(Default\))?$")]
    private static partial Regex SetHeading();

    [GeneratedRegex(@"^Example (?<number>\d+)(:\s*\S.*)?$")]
    private static partial Regex ExampleHeading();

    // -Name where a parameter starts: after a blank or an opening bracket ("[-Name]", " -Name <T>").
    [GeneratedRegex(@"(?<=[\s\[])-([A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex SyntaxParameterName();
}
