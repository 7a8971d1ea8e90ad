using System.Globalization;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Lab;

/// <summary>
/// The race labs of this machine, one record per lab (<c>&lt;name&gt;.lab</c>, a
/// <see cref="LabOwner"/>) under /run/snattools/labs, a tmpfs that, like /run/netns, empties at
/// boot. A lab's record is written before its first namespace and removed after its last, so a
/// lab whose process is killed at any point is still known, with its owner. Every change happens
/// under an exclusive flock on the folder's <c>.lock</c> (dropped by the kernel if the holder is
/// killed): a lab is removed only while its record still names an owner that has ended, so a
/// live owner's lab, in this process or another, is never touched, and namespaces without a
/// record (another tool's) are never touched either.
/// </summary>
public sealed class LabRegistry
{
    public const string DefaultDirectory = "/run/snattools/labs";
    private const string RecordExtension = ".lab";
    private const string TemporaryExtension = ".tmp";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    public LabRegistry(string directory) => Directory = directory;

    public static LabRegistry Default { get; } = new(DefaultDirectory);

    public string Directory { get; }

    /// <summary>
    /// Records this process as the owner of lab <paramref name="name"/> with these namespaces, first
    /// removing an orphaned lab of that name. Throws <see cref="ErrorIds.LabNameInUse"/> when a
    /// running process owns the name or one of the namespaces exists without being an orphaned
    /// lab's (it is left as it is).
    /// </summary>
    public void Claim(string name, IReadOnlyList<string> namespaces)
    {
        using var held = Lock();
        string path = RecordPath(name);
        if (Read(path) is { } existing)
        {
            if (!existing.Owner.IsGone)
            {
                string whose = existing.Owner.IsForeign ? "in another pid namespace (a container), which this process cannot see" : "which is still running";
                throw new SnatToolsException(ErrorIds.LabNameInUse, ErrorKind.ResourceExists,
                    $"The lab name {name} is taken: its lab belongs to {existing.Owner}, {whose}. Choose another -Name, or remove that lab with Remove-SnatRaceLab in its own session.", name);
            }

            RemoveLocked(existing.Name, existing.Owner);
        }

        foreach (string ns in namespaces)
        {
            if (File.Exists(Path.Combine(NetworkNamespace.NamedDirectory, ns)))
            {
                throw new SnatToolsException(ErrorIds.LabNameInUse, ErrorKind.ResourceExists,
                    $"A network namespace named {ns} already exists, so the lab {name} was not created and that namespace was left as it is. Choose another -Name, or delete the namespace with 'ip netns del {ns}' if nothing uses it.", ns);
            }
        }

        var owner = LabOwner.Current(namespaces);
        string temporary = TemporaryPath(name, owner.Process);
        File.WriteAllText(temporary, owner.Format());
        File.Move(temporary, path);
    }

    /// <summary>Removes the record of lab <paramref name="name"/> after its namespaces are gone, if this process owns it.</summary>
    public void Release(string name)
    {
        using var held = Lock();
        string path = RecordPath(name);
        if (Read(path) is { } existing && existing.Owner.Process == ProcessIdentity.Current)
        {
            File.Delete(path);
        }
    }

    /// <summary>The labs whose owner has ended (records unchanged while they were read; nothing is removed).</summary>
    public IReadOnlyList<OrphanedLab> FindOrphaned()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        using var held = Lock();
        return FindLocked();
    }

    /// <summary>
    /// Deletes an orphaned lab's namespaces (which takes their veths, rules and conntrack
    /// entries with them), then its record, if the record still reads as it did when found.
    /// False when it changed or went meanwhile (another process removed or re-created the lab).
    /// </summary>
    public bool Remove(OrphanedLab lab)
    {
        using var held = Lock();
        if (Read(RecordPath(lab.Name)) is not { } current || current.Text != lab.RecordText || !current.Owner.IsGone)
        {
            return false;
        }

        RemoveLocked(current.Name, current.Owner);
        return true;
    }

    /// <summary>Finds and removes every orphaned lab in one hold of the lock; returns them.</summary>
    public IReadOnlyList<OrphanedLab> RemoveOrphaned()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        using var held = Lock();
        var orphaned = FindLocked();
        foreach (var lab in orphaned)
        {
            RemoveLocked(lab.Name, lab.Owner);
        }

        return orphaned;
    }

    private List<OrphanedLab> FindLocked()
    {
        var orphaned = new List<OrphanedLab>();
        foreach (string path in System.IO.Directory.GetFiles(Directory, "*" + RecordExtension).Order(StringComparer.Ordinal))
        {
            if (Read(path) is { Owner.IsGone: true } entry)
            {
                orphaned.Add(new OrphanedLab(entry.Name, entry.Owner) { RecordText = entry.Text });
            }
        }

        // A record written but not yet renamed when its writer was killed.
        foreach (string path in System.IO.Directory.GetFiles(Directory, "." + "*" + TemporaryExtension))
        {
            if (TemporaryOwner(path) is { } writer && !writer.IsRunning)
            {
                File.Delete(path);
            }
        }

        return orphaned;
    }

    private void RemoveLocked(string name, LabOwner owner)
    {
        // Only the lab's own names (<name>-client and so on), and never a path.
        foreach (string ns in owner.Namespaces.Where(ns => ns.StartsWith(name + "-", StringComparison.Ordinal) && !ns.Contains('/', StringComparison.Ordinal)))
        {
            NamedNetworkNamespace.Delete(ns);
        }

        File.Delete(RecordPath(name));
    }

    private static Entry? Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        // A record that does not parse was not written by SnatTools: it is never acted on.
        return LabOwner.Parse(text) is { } owner ? new Entry(Path.GetFileNameWithoutExtension(path), owner, text) : null;
    }

    private FileLock Lock()
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, ".lock");
        return FileLock.Acquire(path, 0x1a4, LockTimeout, // 0644
            () => new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.ResourceBusy,
                $"Another process held the race-lab lock {path} for {LockTimeout.TotalSeconds:0} s (is it stopped?). Try again when it has finished.", path),
            "the race-lab lock");
    }

    private string RecordPath(string name) => Path.Combine(Directory, name + RecordExtension);

    private string TemporaryPath(string name, ProcessIdentity writer) =>
        Path.Combine(Directory, $".{name}.{writer.Pid}-{writer.StartTicks}{TemporaryExtension}");

    private static ProcessIdentity? TemporaryOwner(string path)
    {
        // .<name>.<pid>-<start>.tmp
        string stem = Path.GetFileNameWithoutExtension(path);
        string[] owner = stem[(stem.LastIndexOf('.') + 1)..].Split('-');
        return owner.Length == 2 && int.TryParse(owner[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) &&
               ulong.TryParse(owner[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            ? new ProcessIdentity(pid, start)
            : null;
    }

    /// <summary>One record as read: the lab's name, its owner, and the text (to see whether it changed).</summary>
    private sealed record Entry(string Name, LabOwner Owner, string Text);
}
