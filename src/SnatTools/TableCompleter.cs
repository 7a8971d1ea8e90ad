using System.Collections;
using SnatTools.Core.Rules;

namespace SnatTools;

/// <summary>Tab completion for -Table: the nf_tables and iptables-legacy tables in the kernel (of -NetworkNamespace when given).</summary>
public sealed class TableCompleter : KernelNameCompleter
{
    protected override IReadOnlyList<string> Names(string? networkNamespace, IDictionary fakeBoundParameters, out string kind)
    {
        kind = "table";
        return RuleTableNames.Tables(networkNamespace);
    }
}
