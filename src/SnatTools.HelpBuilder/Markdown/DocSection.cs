using Markdig.Syntax;

namespace SnatTools.HelpBuilder.Markdown;

/// <summary>A heading and the blocks up to the next heading of the same or a higher level.</summary>
public sealed record DocSection(string Title, int Line, IReadOnlyList<Block> Blocks, IReadOnlyList<DocSection> Subsections)
{
    /// <summary>Splits blocks at headings of <paramref name="level"/>; blocks before the first such heading are returned as <paramref name="leading"/>.</summary>
    public static IReadOnlyList<DocSection> Split(IEnumerable<Block> blocks, int level, out IReadOnlyList<Block> leading)
    {
        var sections = new List<DocSection>();
        var before = new List<Block>();
        string? title = null;
        int line = 0;
        var current = new List<Block>();

        void Close()
        {
            if (title is not null)
            {
                var subsections = Split(current, level + 1, out var own);
                sections.Add(new DocSection(title, line, own, subsections));
            }
        }

        foreach (var block in blocks)
        {
            if (block is HeadingBlock heading && heading.Level <= level)
            {
                if (heading.Level < level)
                {
                    throw new InvalidOperationException("A higher heading inside a section; the caller splits the top level first.");
                }

                Close();
                title = MarkdownText.Inline(heading.Inline);
                line = heading.Line + 1;
                current = [];
            }
            else if (title is null)
            {
                before.Add(block);
            }
            else
            {
                current.Add(block);
            }
        }

        Close();
        leading = before;
        return sections;
    }
}
