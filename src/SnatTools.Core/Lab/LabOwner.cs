using System.Globalization;
using System.Text;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Lab;

/// <summary>
/// Who created a race lab, kept in the lab's record (see <see cref="LabRegistry"/>) from before
/// its first namespace exists until after its last is deleted: the process (pid and start time,
/// so a reused pid is not taken for it), the pid namespace those numbers belong to, and the lab's
/// network namespaces. A lab whose owner is gone (killed, crashed) is orphaned and may be removed
/// by anyone.
/// </summary>
public sealed record LabOwner(ProcessIdentity Process, string PidNamespace, string ProcessName, DateTimeOffset Created, IReadOnlyList<string> Namespaces)
{
    /// <summary>This process, as the owner of a lab with these namespaces.</summary>
    public static LabOwner Current(IReadOnlyList<string> namespaces) =>
        new(ProcessIdentity.Current, ProcessIdentity.CurrentPidNamespace, Environment.ProcessPath is { } path ? Path.GetFileName(path) : "?", DateTimeOffset.UtcNow, namespaces);

    /// <summary>
    /// True when the owner has ended: its pid is free, a zombie, or now another process (a
    /// different start time). False while it runs, and when its pid belongs to another pid
    /// namespace (a container): there this process cannot tell, so the lab is left alone.
    /// </summary>
    public bool IsGone => !IsForeign && !Process.IsRunning;

    /// <summary>The owner's pid is from another pid namespace than this process's.</summary>
    public bool IsForeign => PidNamespace != ProcessIdentity.CurrentPidNamespace;

    public string Format()
    {
        var text = new StringBuilder();
        text.Append("# A SnatTools race lab (New-SnatRaceLab). Its namespaces are removed once the process below has ended.\n");
        text.Append(CultureInfo.InvariantCulture, $"pid={Process.Pid}\n");
        text.Append(CultureInfo.InvariantCulture, $"start={Process.StartTicks}\n");
        text.Append(CultureInfo.InvariantCulture, $"pidns={PidNamespace}\n");
        text.Append(CultureInfo.InvariantCulture, $"process={ProcessName}\n");
        text.Append(CultureInfo.InvariantCulture, $"created={Created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");
        text.Append(CultureInfo.InvariantCulture, $"namespaces={string.Join(' ', Namespaces)}\n");
        return text.ToString();
    }

    /// <summary>The record's text back; null when it is not one (a hand-edited or foreign file).</summary>
    public static LabOwner? Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (!line.StartsWith('#') && equals > 0)
            {
                fields[line[..equals]] = line[(equals + 1)..];
            }
        }

        if (!fields.TryGetValue("pid", out string? pid) || !int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int processId) ||
            !fields.TryGetValue("start", out string? start) || !ulong.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out ulong startTicks) ||
            !fields.TryGetValue("pidns", out string? pidNamespace) ||
            !fields.TryGetValue("namespaces", out string? namespaces))
        {
            return null;
        }

        var created = fields.TryGetValue("created", out string? when) &&
                      DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        return new LabOwner(
            new ProcessIdentity(processId, startTicks),
            pidNamespace,
            fields.GetValueOrDefault("process", "?"),
            created,
            namespaces.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public override string ToString() => $"process {Process.Pid} ({ProcessName}, started {Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)";
}
