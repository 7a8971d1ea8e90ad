using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SnatTools.HelpBuilder.Markdown;

/// <summary>
/// Markdown to the plain text help shows: emphasis dropped, code spans kept in backticks (they
/// still read as code in a console), links as their text, soft line breaks joined so the reader's
/// console wraps the paragraph.
/// </summary>
public static class MarkdownText
{
    /// <param name="withUrls">Follow a link's text with its address when that is absolute (for plain-text pages with no links).</param>
    public static string Inline(ContainerInline? inline, bool withUrls = false)
    {
        var text = new StringBuilder();
        Append(text, inline, withUrls);
        return text.ToString().Trim();
    }

    /// <summary>Prose blocks as help paragraphs: one per paragraph, list item or code block.</summary>
    public static IEnumerable<string> Paragraphs(Block block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                yield return Inline(paragraph.Inline);
                break;
            case ListBlock list:
                int number = int.TryParse(list.OrderedStart, out int start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    string bullet = list.IsOrdered ? $"{number++}. " : "- ";
                    string body = string.Join(" ", item.SelectMany(Paragraphs));
                    yield return bullet + body;
                }

                break;
            case FencedCodeBlock code:
                yield return string.Join("\n", CodeLines(code).Select(line => line.Length == 0 ? line : "    " + line));
                break;
            case QuoteBlock quote:
                foreach (var inner in quote.SelectMany(Paragraphs))
                {
                    yield return inner;
                }

                break;
            case HeadingBlock heading:
                yield return Inline(heading.Inline);
                break;
        }
    }

    public static IReadOnlyList<string> CodeLines(LeafBlock code)
    {
        // An empty fence (```output followed at once by ```) has no line array at all.
        var lines = (code.Lines.Lines ?? []).Take(code.Lines.Count).Select(line => line.Slice.ToString().TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    public static string Code(LeafBlock code) => string.Join("\n", CodeLines(code));

    private static void Append(StringBuilder text, Inline? inline, bool withUrls)
    {
        for (; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append('`').Append(code.Content).Append('`');
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case LinkInline link:
                    Append(text, link.FirstChild, withUrls);
                    if (withUrls && Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                    {
                        text.Append(" (").Append(link.Url).Append(')');
                    }

                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    text.Append(html.Tag);
                    break;
                case ContainerInline container:
                    Append(text, container.FirstChild, withUrls);
                    break;
            }
        }
    }
}
