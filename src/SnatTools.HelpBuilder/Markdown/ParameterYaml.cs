using SnatTools.HelpBuilder.Model;

namespace SnatTools.HelpBuilder.Markdown;

/// <summary>Reads the flat <c>Key: value</c> yaml block PlatyPS writes under each parameter.</summary>
public static class ParameterYaml
{
    private static readonly string[] Keys =
    [
        "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
        "Accept pipeline input", "Accept wildcard characters",
    ];

    private static readonly string[] Optional = ["Accepted values"];

    /// <param name="fail">Raises the schema error for a 0-based line offset into the block.</param>
    public static ParameterMetadata Parse(IReadOnlyList<string> lines, Func<int, string, Exception> fail)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            if (line.Trim().Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw fail(i, $"expected 'Key: value' in the parameter yaml, got '{line.Trim()}'");
            }

            string key = line[..colon].Trim();
            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                throw fail(i, $"unknown parameter yaml key '{key}' (known: {string.Join(", ", Keys)})");
            }

            if (!values.TryAdd(key, line[(colon + 1)..].Trim()))
            {
                throw fail(i, $"parameter yaml key '{key}' given twice");
            }

            lineOf[key] = i;
        }

        var missing = Keys.Except(Optional).Where(key => !values.ContainsKey(key)).ToList();
        if (missing.Count > 0)
        {
            throw fail(0, $"parameter yaml lacks {string.Join(", ", missing)}");
        }

        string type = values["Type"];
        if (type.Length == 0)
        {
            throw fail(lineOf["Type"], "parameter yaml has an empty Type");
        }

        var sets = List(values["Parameter Sets"]);
        if (sets.Count == 0)
        {
            throw fail(lineOf["Parameter Sets"], "parameter yaml has no Parameter Sets; write (All) for a parameter of every set");
        }

        string position = values["Position"];
        if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(position, out _))
        {
            throw fail(lineOf["Position"], $"Position must be Named or a number, got '{position}'");
        }

        return new ParameterMetadata(
            type,
            sets,
            List(values["Aliases"]),
            values.TryGetValue("Accepted values", out string? accepted) ? List(accepted) : [],
            Boolean(values, lineOf, "Required", fail),
            position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
            values["Default value"].Length == 0 ? "None" : values["Default value"],
            values["Accept pipeline input"],
            Boolean(values, lineOf, "Accept wildcard characters", fail));
    }

    private static List<string> List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool Boolean(Dictionary<string, string> values, Dictionary<string, int> lineOf, string key, Func<int, string, Exception> fail) =>
        bool.TryParse(values[key], out bool result) ? result : throw fail(lineOf[key], $"{key} must be True or False, got '{values[key]}'");
}
