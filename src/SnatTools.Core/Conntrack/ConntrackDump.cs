namespace SnatTools.Core.Conntrack;

/// <summary>
/// The entries a dump kept, how many the kernel sent, and how many of those failed the status
/// filter here. None failing means the kernel applied the filter itself (it knows CTA_STATUS_MASK
/// in a dump request); older kernels send every entry and the client filters.
/// </summary>
public sealed record ConntrackDump(IReadOnlyList<ConntrackEntry> Entries, long Received, long SkippedByStatus)
{
    public bool FilteredByKernel => SkippedByStatus == 0;
}
