using SnatTools.HelpBuilder.Markdown;
using SnatTools.HelpBuilder.Model;
using SnatTools.HelpBuilder.Output;

namespace SnatTools.HelpBuilder;

/// <summary>One run: every docs/*.md read first, then the help files written only if all of them keep the schema.</summary>
public static class HelpBuild
{
    /// <returns>The files written.</returns>
    /// <exception cref="AggregateException">Of <see cref="DocFormatException"/>, one per broken page.</exception>
    public static IReadOnlyList<string> Run(string docsDirectory, string outputDirectory)
    {
        var commands = new List<CommandHelp>();
        var topics = new List<(string Name, string Text)>();
        var errors = new List<DocFormatException>();
        foreach (string path in Directory.EnumerateFiles(docsDirectory, "*.md").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            try
            {
                if (name.StartsWith("about_", StringComparison.Ordinal))
                {
                    topics.Add((name, AboutTopicWriter.RenderFile(path)));
                }
                else
                {
                    commands.Add(CommandDocParser.ParseFile(path));
                }
            }
            catch (DocFormatException ex)
            {
                errors.Add(ex);
            }
        }

        if (errors.Count > 0)
        {
            throw new AggregateException(errors);
        }

        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        foreach (var group in commands.GroupBy(c => c.HelpFile, StringComparer.Ordinal))
        {
            string target = Path.Combine(outputDirectory, group.Key);
            MamlWriter.Write(group, target);
            written.Add(target);
        }

        foreach (var (name, text) in topics)
        {
            string target = Path.Combine(outputDirectory, name + ".help.txt");
            File.WriteAllText(target, text);
            written.Add(target);
        }

        return written;
    }
}
