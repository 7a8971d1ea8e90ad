namespace SnatTools.HelpBuilder.Model;

/// <summary>A documented parameter; one metadata block per group of parameter sets in which it behaves alike.</summary>
public sealed record HelpParameter(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata)
{
    /// <summary>The metadata that applies in <paramref name="setName"/>, or null when the parameter is not in that set.</summary>
    public ParameterMetadata? In(string setName) =>
        Metadata.FirstOrDefault(m => m.ParameterSets.Contains(setName, StringComparer.OrdinalIgnoreCase))
        ?? Metadata.FirstOrDefault(m => m.InAllSets);
}
