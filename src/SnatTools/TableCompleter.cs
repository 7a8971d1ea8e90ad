using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SnatTools.Core;
using SnatTools.Core.Rules;

namespace SnatTools;

/// <summary>Tab completion for -Table: the nf_tables and iptables-legacy tables in the kernel (of -NetworkNamespace when given).</summary>
public sealed class TableCompleter : IArgumentCompleter
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
            return CompletionText.Matching(RuleTableNames.Tables(ns), wordToComplete, name => ns is null ? $"table {name}" : $"table {name} in {ns}").ToList();
        }
        catch (SnatToolsException)
        {
            // No root, no such namespace: nothing to offer, and tab completion must not fail.
            return [];
        }
    }
}
