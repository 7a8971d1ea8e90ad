using System.Text;

namespace SnatTools.HelpBuilder.Output;

/// <summary>Greedy word wrap for the plain-text about topic.</summary>
public static class TextWrapper
{
    public const int Width = 80;

    /// <summary>Wraps <paramref name="text"/> so each line fits <see cref="Width"/>; hard line breaks are kept.</summary>
    public static IEnumerable<string> Wrap(string text, string firstIndent, string restIndent)
    {
        string indent = firstIndent;
        foreach (string hardLine in text.Split('\n'))
        {
            var line = new StringBuilder(indent);
            bool empty = true;
            foreach (string word in hardLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > Width)
                {
                    yield return line.ToString();
                    line.Clear().Append(restIndent);
                    empty = true;
                }

                if (!empty)
                {
                    line.Append(' ');
                }

                line.Append(word);
                empty = false;
            }

            yield return line.ToString().TrimEnd();
            indent = restIndent;
        }
    }
}
