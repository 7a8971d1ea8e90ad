namespace SnatTools.Core.Guard;

/// <summary>How a wait for ruleset events ended.</summary>
public enum NftEventWait
{
    /// <summary>Nothing arrived within the timeout.</summary>
    Timeout,

    /// <summary>One or more events arrived.</summary>
    Events,

    /// <summary>The kernel dropped events because the socket's queue was full (ENOBUFS): the ruleset must be read again.</summary>
    Overflow,
}
