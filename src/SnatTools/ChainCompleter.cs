using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SnatTools.Core;
using SnatTools.Core.Rules;

namespace SnatTools;

/// <summary>Tab completion for -Chain: the chains of -Table (every table's when it is not given) in the kernel, in -NetworkNamespace when given.</summary>
public sealed class ChainCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        string? ns = CompletionText.Bound(fakeBoundParameters, "NetworkNamespace");
        string? table = CompletionText.Bound(fakeBoundParameters, "Table");
        try
        {
            return CompletionText.Matching(RuleTableNames.Chains(ns, table), wordToComplete, name => table is null ? $"chain {name}" : $"chain {name} of table {table}").ToList();
        }
        catch (SnatToolsException)
        {
            return [];
        }
    }
}
