namespace SnatTools.Core.Nftables;

/// <summary>
/// The nf_tables ruleset changed after it was read (another writer committed in between), so the
/// kernel refused the whole batch and changed nothing. Re-read and try again.
/// </summary>
public sealed class NftGenerationChangedException(string operation)
    : SnatToolsException(
        ErrorIds.RuleChanged,
        ErrorKind.ResourceBusy,
        $"{operation}: the nftables ruleset changed since it was read (generation moved); the kernel applied nothing.");
