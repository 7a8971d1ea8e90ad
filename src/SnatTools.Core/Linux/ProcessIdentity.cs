using System.Globalization;

namespace SnatTools.Core.Linux;

/// <summary>
/// A process as the kernel tells it apart from every other: its pid and its start time (clock
/// ticks after boot, field 22 of /proc/&lt;pid&gt;/stat; fs/proc/array.c, do_task_stat). A pid is
/// reused once its process is gone; the pair is not, so a record holding both cannot mistake a
/// new process for the one that wrote it.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTicks)
{
    /// <summary>This process.</summary>
    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId)
        ?? throw new InvalidOperationException("/proc/self/stat is not readable: is /proc mounted?");

    /// <summary>The pid namespace this process sees pids in ("pid:[4026531836]"); pids from another one mean nothing here.</summary>
    public static string CurrentPidNamespace { get; } = new FileInfo("/proc/self/ns/pid").LinkTarget ?? string.Empty;

    /// <summary>True while this very process runs (a zombie has ended: it only waits to be reaped).</summary>
    public bool IsRunning => Of(Pid) == this;

    /// <summary>The running process with this pid, or null when there is none (or it is a zombie).</summary>
    public static ProcessIdentity? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        return Parse(pid, stat);
    }

    /// <summary>Reads /proc/&lt;pid&gt;/stat text: "pid (comm) state ppid ... starttime ...". comm may hold spaces and parentheses.</summary>
    internal static ProcessIdentity? Parse(int pid, string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 > stat.Length)
        {
            return null;
        }

        // Fields from 3 (state) on; starttime is field 22.
        string[] fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0] is "Z" or "X" or "x" ||
            !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return null;
        }

        return new ProcessIdentity(pid, start);
    }
}
