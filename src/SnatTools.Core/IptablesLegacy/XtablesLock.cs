using SnatTools.Core.Linux;

namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// The lock iptables-legacy takes around every read-modify-replace of a table (iptables
/// xshared.c, xtables_lock): an exclusive flock on /run/xtables.lock, or on the file
/// XTABLES_LOCKFILE names, created 0600 when missing. Holding it makes concurrent
/// `iptables -w` commands wait instead of replacing the table from a stale copy. The lock file
/// lives in the mount namespace, not the network namespace, so it serialises all namespaces.
/// Released by <see cref="Dispose"/> (closing the descriptor drops the flock).
/// </summary>
public sealed class XtablesLock : IDisposable
{
    /// <summary>XT_LOCK_NAME, iptables' default.</summary>
    public const string DefaultPath = "/run/xtables.lock";

    private readonly FileLock _lock;

    private XtablesLock(FileLock held, string path)
    {
        _lock = held;
        Path = path;
    }

    public string Path { get; }

    /// <summary>How long another holder kept us waiting.</summary>
    public TimeSpan Waited => _lock.Waited;

    public static string LockPath =>
        Environment.GetEnvironmentVariable("XTABLES_LOCKFILE") is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>
    /// Takes the lock (<paramref name="path"/>, default <see cref="LockPath"/>), waiting up to
    /// <paramref name="timeout"/> for another holder (iptables -w polls the same way when given a
    /// wait time). Throws ResourceBusy when it stays held.
    /// </summary>
    public static XtablesLock Acquire(TimeSpan timeout, string? path = null)
    {
        path ??= LockPath;
        var held = FileLock.Acquire(path, 0x180, timeout, // 0600, as iptables creates it
            () => new SnatToolsException(ErrorIds.NetlinkError, ErrorKind.ResourceBusy,
                $"Another program held the xtables lock {path} for {timeout.TotalSeconds:0} s; nothing was changed. Try again when it is done.", path),
            "the xtables lock");
        return new XtablesLock(held, path);
    }

    public void Dispose() => _lock.Dispose();
}
