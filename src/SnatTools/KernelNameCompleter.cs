using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SnatTools.Core;

namespace SnatTools;

/// <summary>
/// Tab completion from names the kernel holds, read in the namespace -NetworkNamespace names (or
/// this one). Reading needs root; without it, or for a namespace that does not exist, nothing is
/// offered: tab completion must not fail.
/// </summary>
public abstract class KernelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        string? ns = CompletionText.Bound(fakeBoundParameters, "NetworkNamespace");
        try
        {
            var names = Names(ns, fakeBoundParameters, out string kind);
            return CompletionText.Matching(names, wordToComplete, name => ns is null ? $"{kind} {name}" : $"{kind} {name} in {ns}").ToList();
        }
        catch (SnatToolsException)
        {
            return [];
        }
    }

    /// <summary>The names to offer, and what they are ("table", "chain of table nat") for the tooltip.</summary>
    protected abstract IReadOnlyList<string> Names(string? networkNamespace, IDictionary fakeBoundParameters, out string kind);
}
