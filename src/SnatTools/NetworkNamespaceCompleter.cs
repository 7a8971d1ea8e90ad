using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SnatTools.Core.Linux;

namespace SnatTools;

/// <summary>Tab completion for -NetworkNamespace: the names under /run/netns.</summary>
public sealed class NetworkNamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        foreach (string name in NetworkNamespace.ListNamed())
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                string text = name.IndexOfAny([' ', '\'', '"', '$', '`']) >= 0 ? $"'{name.Replace("'", "''", StringComparison.Ordinal)}'" : name;
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, $"{NetworkNamespace.NamedDirectory}/{name}");
            }
        }
    }
}
