namespace SnatTools.Core.Guard;

/// <summary>
/// Where the guard hears about nf_tables changes: the live one is a NETLINK_NETFILTER socket in
/// NFNLGRP_NFTABLES (<see cref="NftEventSocket"/>); tests script one to check the debounce and
/// the own-change filter without root.
/// </summary>
public interface INftEventSource : IDisposable
{
    /// <summary>Waits at most <paramref name="timeoutMilliseconds"/> and adds what arrived to <paramref name="events"/>.</summary>
    NftEventWait Wait(int timeoutMilliseconds, List<NftRulesetEvent> events);
}
