using System.Management.Automation;

namespace SnatTools;

/// <summary>Completion results for names that may need quoting on the command line.</summary>
internal static class CompletionText
{
    /// <summary>The names starting with what was typed (quotes around it ignored), quoted where PowerShell needs it.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> names, string wordToComplete, Func<string, string> tooltip)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        foreach (string name in names)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                string text = name.IndexOfAny([' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',', '&', '@', '#', '|', '<', '>']) >= 0
                    ? $"'{name.Replace("'", "''", StringComparison.Ordinal)}'"
                    : name;
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, tooltip(name));
            }
        }
    }

    /// <summary>A bound parameter's value as text (what a completer sees of -NetworkNamespace or -Table), or null.</summary>
    public static string? Bound(System.Collections.IDictionary fakeBoundParameters, string name)
    {
        object? value = fakeBoundParameters.Contains(name) ? fakeBoundParameters[name] : null;
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        return value is string { Length: > 0 } text && !WildcardPattern.ContainsWildcardCharacters(text) ? text : null;
    }
}
