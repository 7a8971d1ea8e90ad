using System.Diagnostics;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Linux;

/// <summary>
/// An exclusive flock(2) on a file (created with <c>mode</c> when missing), held until
/// <see cref="Dispose"/>. The kernel drops it when the descriptor closes, so also when the holder
/// is killed: a lock never outlives its process.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private int _fd;

    private FileLock(int fd, TimeSpan waited)
    {
        _fd = fd;
        Waited = waited;
    }

    /// <summary>How long another holder kept us waiting.</summary>
    public TimeSpan Waited { get; }

    /// <summary>
    /// Takes the lock, polling up to <paramref name="timeout"/> while another process holds it;
    /// then throws what <paramref name="busy"/> makes. <paramref name="what"/> names the lock in errors.
    /// </summary>
    public static FileLock Acquire(string path, uint mode, TimeSpan timeout, Func<SnatToolsException> busy, string what)
    {
        int fd = Libc.open(path, Libc.O_CREAT | Libc.O_CLOEXEC, mode);
        if (fd < 0)
        {
            throw NetlinkException.FromErrno(Libc.LastErrno, $"open {path} ({what})");
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) == 0)
            {
                return new FileLock(fd, clock.Elapsed);
            }

            int errno = Libc.LastErrno;
            if (errno == Errno.EINTR)
            {
                continue;
            }

            if (errno != Errno.EAGAIN || clock.Elapsed >= timeout)
            {
                Libc.close(fd);
                throw errno == Errno.EAGAIN ? busy() : NetlinkException.FromErrno(errno, $"flock {path} ({what})");
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
