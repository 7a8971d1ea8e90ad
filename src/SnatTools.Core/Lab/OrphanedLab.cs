namespace SnatTools.Core.Lab;

/// <summary>A race lab whose owner has ended without removing it (killed, crashed): its name, its namespaces and who left it.</summary>
public sealed record OrphanedLab(string Name, LabOwner Owner)
{
    /// <summary>The record's text when found; <see cref="LabRegistry.Remove"/> removes the lab only if the record still reads so.</summary>
    internal string RecordText { get; init; } = string.Empty;

    public IReadOnlyList<string> Namespaces => Owner.Namespaces;

    public override string ToString() => $"{Name} ({string.Join(", ", Namespaces)}), left by {Owner}, which has ended";
}
