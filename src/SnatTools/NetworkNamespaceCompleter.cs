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
        IDictionary fakeBoundParameters) =>
        CompletionText.Matching(NetworkNamespace.ListNamed(), wordToComplete, name => $"{NetworkNamespace.NamedDirectory}/{name}");
}
