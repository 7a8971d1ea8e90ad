using SnatTools.Core.Linux;

namespace SnatTools.Core.Lab;

/// <summary>
/// Creates and deletes named network namespaces the way `ip netns add/del` does, without running
/// it: unshare(CLONE_NEWNET) on a dedicated thread, bind-mount that thread's namespace onto
/// /run/netns/&lt;name&gt; so it outlives the thread, then switch the thread back.
/// </summary>
public static class NamedNetworkNamespace
{
    public static void Create(string name)
    {
        string path = Path.Combine(NetworkNamespace.NamedDirectory, name);
        Directory.CreateDirectory(NetworkNamespace.NamedDirectory);
        try
        {
            using (File.Open(path, FileMode.CreateNew, FileAccess.Write))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new SnatToolsException(ErrorIds.LabNameInUse, ErrorKind.ResourceExists,
                $"A network namespace named {name} already exists; it was left as it is. Choose another name, or delete it with 'ip netns del {name}' if nothing uses it.", name);
        }

        try
        {
            RunOnOwnThread(() =>
            {
                int original = Libc.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
                if (original < 0)
                {
                    throw Failed("open /proc/thread-self/ns/net", name);
                }

                try
                {
                    if (Libc.unshare(Libc.CLONE_NEWNET) != 0)
                    {
                        throw Failed("unshare(CLONE_NEWNET)", name);
                    }

                    try
                    {
                        if (Libc.mount("/proc/thread-self/ns/net", path, null, Libc.MS_BIND, 0) != 0)
                        {
                            throw Failed($"bind mount onto {path}", name);
                        }
                    }
                    finally
                    {
                        if (Libc.setns(original, Libc.CLONE_NEWNET) != 0)
                        {
                            Environment.FailFast("could not return to the original network namespace after unshare");
                        }
                    }
                }
                finally
                {
                    Libc.close(original);
                }
            });
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Unmounts and removes the namespace file; the namespace dies with its last user.</summary>
    public static void Delete(string name)
    {
        string path = Path.Combine(NetworkNamespace.NamedDirectory, name);
        if (!File.Exists(path))
        {
            return;
        }

        Libc.umount2(path, Libc.MNT_DETACH);
        File.Delete(path);
    }

    private static void RunOnOwnThread(Action work)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        })
        { IsBackground = true, Name = "snattools-netns-create" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure;
        }
    }

    private static SnatToolsException Failed(string what, string name)
    {
        int errno = Libc.LastErrno;
        return errno is Errno.EPERM or Errno.EACCES
            ? new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.PermissionDenied,
                $"Creating network namespace '{name}' needs root (CAP_SYS_ADMIN): {what} failed with {Errno.Name(errno)}. Run as root, for example with sudo.", name)
            : new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.ResourceUnavailable,
                $"Creating network namespace '{name}' failed: {what}: {Errno.Name(errno)} ({Errno.Describe(errno)}).", name);
    }
}
