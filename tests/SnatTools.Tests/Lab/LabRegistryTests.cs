using System.Globalization;
using SnatTools.Core;
using SnatTools.Core.Lab;
using SnatTools.Core.Linux;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Lab;

/// <summary>
/// Lab records and their owners, in a registry folder of the test's own (no namespaces are
/// created except where a test says so, as root).
/// </summary>
public sealed class LabRegistryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("snattools-labs-").FullName;
    private readonly LabRegistry _registry;

    public LabRegistryTests() => _registry = new LabRegistry(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>This process's pid with another start time: what a record of an ended process looks like once its pid is reused.</summary>
    private static ProcessIdentity ReusedPid => ProcessIdentity.Current with { StartTicks = ProcessIdentity.Current.StartTicks + 1 };

    /// <summary>pid_max itself is never a pid.</summary>
    private static ProcessIdentity NoSuchProcess =>
        new(int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture), 1);

    private static string[] NamespacesOf(string name) => [name + "-client", name + "-nat", name + "-server"];

    private string WriteRecord(string name, ProcessIdentity owner, string? pidNamespace = null, string[]? namespaces = null)
    {
        string path = Path.Combine(_directory, name + ".lab");
        File.WriteAllText(path, new LabOwner(owner, pidNamespace ?? ProcessIdentity.CurrentPidNamespace, "killed-pwsh", DateTimeOffset.UtcNow, namespaces ?? NamespacesOf(name)).Format());
        return path;
    }

    [Fact]
    public void This_process_runs_and_its_pid_with_another_start_time_does_not()
    {
        Assert.True(ProcessIdentity.Current.IsRunning);
        Assert.Equal(Environment.ProcessId, ProcessIdentity.Current.Pid);
        Assert.False(ReusedPid.IsRunning);
        Assert.False(NoSuchProcess.IsRunning);
    }

    [Theory]
    [InlineData("42 (pwsh) S 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 20 0 987654 1000 300", 987654ul)]
    [InlineData("42 (a) (b c) R 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 20 0 123 1000 300", 123ul)] // comm holds ") ("
    [InlineData("42 (pwsh) Z 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 20 0 987654 0 0", null)]       // a zombie has ended
    [InlineData("42 (pwsh) S 1 42", null)]
    public void Proc_stat_gives_the_start_time_after_the_last_parenthesis(string stat, ulong? start) =>
        Assert.Equal(start, ProcessIdentity.Parse(42, stat)?.StartTicks);

    [Fact]
    public void A_record_reads_back_as_written_and_anything_else_is_not_a_record()
    {
        var owner = new LabOwner(new ProcessIdentity(4242, 77), "pid:[4026531836]", "pwsh", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), ["lab-client", "lab-nat"]);
        var back = LabOwner.Parse(owner.Format());
        Assert.NotNull(back);
        Assert.Equal((owner.Process, owner.PidNamespace, owner.ProcessName, owner.Created), (back.Process, back.PidNamespace, back.ProcessName, back.Created));
        Assert.Equal(owner.Namespaces, back.Namespaces);
        Assert.Null(LabOwner.Parse("hello\n"));
        Assert.Null(LabOwner.Parse("pid=12\nstart=x\npidns=p\nnamespaces=a\n"));
    }

    [Fact]
    public void A_claim_records_this_process_and_a_second_claim_of_the_name_is_refused_while_it_runs()
    {
        _registry.Claim("snattools-t1", NamespacesOf("snattools-t1"));
        var record = LabOwner.Parse(File.ReadAllText(Path.Combine(_directory, "snattools-t1.lab")));
        Assert.NotNull(record);
        Assert.Equal(ProcessIdentity.Current, record.Process);
        Assert.Equal(NamespacesOf("snattools-t1"), record.Namespaces);

        var refused = Assert.Throws<SnatToolsException>(() => _registry.Claim("snattools-t1", NamespacesOf("snattools-t1")));
        Assert.Equal(ErrorIds.LabNameInUse, refused.ErrorId);
        Assert.Contains("still running", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_registry.FindOrphaned());

        _registry.Release("snattools-t1");
        Assert.Empty(Directory.GetFiles(_directory, "*.lab"));
    }

    [Fact]
    public void Labs_of_ended_owners_are_orphaned_and_labs_of_running_ones_are_not()
    {
        WriteRecord("snattools-reused", ReusedPid);
        WriteRecord("snattools-gone", NoSuchProcess);
        WriteRecord("snattools-mine", ProcessIdentity.Current);
        WriteRecord("snattools-init", ProcessIdentity.Of(1)!.Value);                    // another process, running
        WriteRecord("snattools-init-reused", ProcessIdentity.Of(1)!.Value with { StartTicks = 1 });
        WriteRecord("snattools-container", NoSuchProcess, pidNamespace: "pid:[1]");      // cannot be judged from here
        File.WriteAllText(Path.Combine(_directory, "snattools-foreign.lab"), "not a record\n");

        Assert.Equal(
            ["snattools-gone", "snattools-init-reused", "snattools-reused"],
            _registry.FindOrphaned().Select(o => o.Name));
        Assert.Equal(
            ["snattools-gone", "snattools-init-reused", "snattools-reused"],
            _registry.RemoveOrphaned().Select(o => o.Name));
        Assert.Equal(
            ["snattools-container.lab", "snattools-foreign.lab", "snattools-init.lab", "snattools-mine.lab"],
            Directory.GetFiles(_directory, "*.lab").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_orphan_is_not_removed_once_its_record_changed_after_it_was_found()
    {
        string path = WriteRecord("snattools-t2", NoSuchProcess);
        var found = Assert.Single(_registry.FindOrphaned());

        // Another process removed it and created a lab of the same name meanwhile.
        File.Delete(path);
        _registry.Claim("snattools-t2", NamespacesOf("snattools-t2"));

        Assert.False(_registry.Remove(found));
        Assert.Equal(ProcessIdentity.Current, LabOwner.Parse(File.ReadAllText(path))!.Process);
    }

    [Fact]
    public void A_name_held_by_an_orphan_can_be_claimed_and_release_leaves_other_owners_records()
    {
        WriteRecord("snattools-t3", ReusedPid);
        _registry.Claim("snattools-t3", NamespacesOf("snattools-t3"));
        Assert.Equal(ProcessIdentity.Current, LabOwner.Parse(File.ReadAllText(Path.Combine(_directory, "snattools-t3.lab")))!.Process);

        string other = WriteRecord("snattools-t4", ProcessIdentity.Of(1)!.Value);
        _registry.Release("snattools-t4");
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void A_record_half_written_by_a_killed_writer_is_swept_and_a_running_writers_is_kept()
    {
        string dead = Path.Combine(_directory, $".snattools-t5.{ReusedPid.Pid}-{ReusedPid.StartTicks}.tmp");
        string alive = Path.Combine(_directory, $".snattools-t6.{ProcessIdentity.Current.Pid}-{ProcessIdentity.Current.StartTicks}.tmp");
        File.WriteAllText(dead, "pid=");
        File.WriteAllText(alive, "pid=");

        Assert.Empty(_registry.RemoveOrphaned());
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
    }

    [SkippableFact]
    public void An_orphans_namespaces_are_deleted_and_a_running_owners_are_kept()
    {
        Root.Require();
        string orphan = $"snattools-orph-{Guid.NewGuid():N}"[..23];
        string kept = $"snattools-kept-{Guid.NewGuid():N}"[..23];
        try
        {
            // What a lab killed while it created its namespaces leaves: the record and some of them.
            NamedNetworkNamespace.Create(orphan + "-client");
            NamedNetworkNamespace.Create(orphan + "-nat");
            WriteRecord(orphan, NoSuchProcess);
            NamedNetworkNamespace.Create(kept + "-client");
            WriteRecord(kept, ProcessIdentity.Of(1)!.Value);

            Assert.Equal([orphan], _registry.RemoveOrphaned().Select(o => o.Name));

            var named = NetworkNamespace.ListNamed();
            Assert.DoesNotContain(named, n => n.StartsWith(orphan, StringComparison.Ordinal));
            Assert.Contains(kept + "-client", named);
        }
        finally
        {
            foreach (string ns in (string[])[orphan + "-client", orphan + "-nat", kept + "-client"])
            {
                NamedNetworkNamespace.Delete(ns);
            }
        }
    }

    [SkippableFact]
    public void A_claim_is_refused_when_a_namespace_of_the_name_exists_and_leaves_it_alone()
    {
        Root.Require();
        string name = $"snattools-clash-{Guid.NewGuid():N}"[..24];
        Cli.Run("ip", "netns", "add", name + "-nat");
        try
        {
            Cli.Run("ip", "-n", name + "-nat", "link", "set", "lo", "up");
            var refused = Assert.Throws<SnatToolsException>(() => _registry.Claim(name, NamespacesOf(name)));

            Assert.Equal(ErrorIds.LabNameInUse, refused.ErrorId);
            Assert.Contains($"A network namespace named {name}-nat already exists", refused.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(_directory, "*.lab"));
            Assert.Contains("state UNKNOWN", Cli.Run("ip", "-n", name + "-nat", "-o", "link", "show", "lo"), StringComparison.Ordinal);
        }
        finally
        {
            Cli.TryRun("ip", "netns", "del", name + "-nat");
        }
    }
}
