namespace SnatTools.Core.Conntrack;

/// <summary>
/// The entries a dump kept, and how many the kernel sent. <see cref="Received"/> equal to the
/// kept count means the kernel applied the status filter itself (Linux 5.x+ knows
/// CTA_STATUS_MASK in a dump request); older kernels send every entry and the client filters.
/// </summary>
public sealed record ConntrackDump(IReadOnlyList<ConntrackEntry> Entries, long Received)
{
    public bool FilteredByKernel => Received == Entries.Count;
}
