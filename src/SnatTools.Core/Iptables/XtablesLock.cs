using System.Diagnostics;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Iptables;

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

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private int _fd;

    private XtablesLock(int fd, string path, TimeSpan waited)
    {
        _fd = fd;
        Path = path;
        Waited = waited;
    }

    public string Path { get; }

    /// <summary>How long another holder kept us waiting.</summary>
    public TimeSpan Waited { get; }

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
        int fd = Libc.open(path, Libc.O_CREAT | Libc.O_CLOEXEC, 0x180); // 0600, as iptables creates it
        if (fd < 0)
        {
            throw NetlinkException.FromErrno(Libc.LastErrno, $"open {path} (the xtables lock)");
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) == 0)
            {
                return new XtablesLock(fd, path, clock.Elapsed);
            }

            int errno = Libc.LastErrno;
            if (errno == Errno.EINTR)
            {
                continue;
            }

            if (errno != Errno.EAGAIN || clock.Elapsed >= timeout)
            {
                Libc.close(fd);
                throw errno == Errno.EAGAIN
                    ? new SnatToolsException(ErrorIds.NetlinkError, ErrorKind.ResourceBusy,
                        $"Another program held the xtables lock {path} for {timeout.TotalSeconds:0} s; nothing was changed. Try again when it is done.", path)
                    : NetlinkException.FromErrno(errno, $"flock {path} (the xtables lock)");
            }

            Thread.Sleep(PollInterval);
        }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Libc.close(fd);
        }
    }
}
