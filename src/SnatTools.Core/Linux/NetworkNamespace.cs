using System.Runtime.ExceptionServices;

namespace SnatTools.Core.Linux;

/// <summary>
/// Runs code inside a network namespace. setns() changes only the calling thread, so the work
/// runs on a thread created for it (never a pool thread, which would carry the namespace into
/// unrelated work), and the thread switches back before it ends. Sockets keep the namespace
/// they were created in, so a socket opened here can be used from any thread afterwards.
/// </summary>
public static class NetworkNamespace
{
    public const string NamedDirectory = "/run/netns";

    /// <summary>
    /// The namespace file for a name: a bare name is looked up under /run/netns (as `ip netns`
    /// does); anything with a slash is a path such as /proc/1234/ns/net. Null or empty is the
    /// caller's own namespace.
    /// </summary>
    public static string? ResolvePath(string? nameOrPath)
    {
        if (string.IsNullOrEmpty(nameOrPath))
        {
            return null;
        }

        string path = nameOrPath.Contains('/') ? nameOrPath : Path.Combine(NamedDirectory, nameOrPath);
        if (!File.Exists(path))
        {
            throw new SnatToolsException(
                ErrorIds.NetworkNamespaceNotFound,
                ErrorKind.ObjectNotFound,
                nameOrPath.Contains('/')
                    ? $"Network namespace file '{path}' does not exist."
                    : $"Network namespace '{nameOrPath}' does not exist: there is no {path}. 'ip netns list' shows the named namespaces.",
                nameOrPath);
        }

        return path;
    }

    /// <summary>Names of the namespaces under /run/netns, for tab completion and audits.</summary>
    public static IReadOnlyList<string> ListNamed() =>
        Directory.Exists(NamedDirectory)
            ? Directory.GetFiles(NamedDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Runs <paramref name="work"/> in the namespace; null runs it right here, no thread.</summary>
    public static T Run<T>(string? nameOrPath, Func<T> work)
    {
        string? path = ResolvePath(nameOrPath);
        if (path is null)
        {
            return work();
        }

        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = RunOnThisThread(path, work);
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = "snattools-netns",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// Enters the namespace on the current thread, runs the work, and switches back. Only for
    /// threads the caller created and owns (the lab's pinned client threads, <see cref="Run"/>).
    /// </summary>
    public static T RunOnThisThread<T>(string path, Func<T> work)
    {
        int original = OpenNamespace("/proc/thread-self/ns/net", "own network namespace");
        try
        {
            int target = OpenNamespace(path, path);
            try
            {
                if (Libc.setns(target, Libc.CLONE_NEWNET) != 0)
                {
                    throw SetnsFailed(path, Libc.LastErrno);
                }
            }
            finally
            {
                Libc.close(target);
            }

            try
            {
                return work();
            }
            finally
            {
                if (Libc.setns(original, Libc.CLONE_NEWNET) != 0)
                {
                    // A thread stuck in the wrong namespace must never run anything else.
                    Environment.FailFast($"could not return to the original network namespace: {Errno.Name(Libc.LastErrno)}");
                }
            }
        }
        finally
        {
            Libc.close(original);
        }
    }

    private static int OpenNamespace(string path, string what)
    {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd >= 0)
        {
            return fd;
        }

        int errno = Libc.LastErrno;
        if (errno == Errno.ENOENT)
        {
            throw new SnatToolsException(ErrorIds.NetworkNamespaceNotFound, ErrorKind.ObjectNotFound, $"Network namespace file '{path}' does not exist.", what);
        }

        throw SetnsFailed(path, errno);
    }

    private static SnatToolsException SetnsFailed(string path, int errno) =>
        errno is Errno.EPERM or Errno.EACCES
            ? new SnatToolsException(ErrorIds.PermissionDenied, ErrorKind.PermissionDenied,
                $"Entering network namespace '{path}' needs root (CAP_SYS_ADMIN): {Errno.Name(errno)}. Run as root, for example with sudo.", path)
            : new SnatToolsException(ErrorIds.NetworkNamespaceNotFound, ErrorKind.ObjectNotFound,
                $"'{path}' is not a usable network namespace: {Errno.Name(errno)} ({Errno.Describe(errno)}).", path);
}
