using System.Collections;
using SnatTools.Core.Rules;

namespace SnatTools;

/// <summary>Tab completion for -Chain: the chains of -Table (of every table when it is not given) in the kernel, in -NetworkNamespace when given.</summary>
public sealed class ChainCompleter : KernelNameCompleter
{
    protected override IReadOnlyList<string> Names(string? networkNamespace, IDictionary fakeBoundParameters, out string kind)
    {
        string? table = CompletionText.Bound(fakeBoundParameters, "Table");
        kind = table is null ? "chain" : $"chain of table {table}";
        return RuleTableNames.Chains(networkNamespace, table);
    }
}
