using System.Globalization;

namespace SnatTools.Core.Output;

/// <summary>
/// The text forms output objects use for values that ConvertTo-Json and Export-Csv would otherwise
/// dump field by field (a TimeSpan as 15 numbers, an IPAddress as its AddressFamily and ScopeId).
/// </summary>
/// <remarks>
/// ConvertTo-Json reads the public properties of a .NET object by reflection and only strings,
/// numbers, booleans, dates and 64-bit enums come out as single values; type data cannot change
/// that. So output types expose such values as text (or as long-backed enums, see
/// SnatTools.types.ps1xml) and keep the typed value internal.
/// </remarks>
public static class ReadableText
{
    /// <summary>
    /// A duration as [d.]hh:mm:ss[.fffffff] with trailing zeros dropped ("00:00:01.0001",
    /// "00:00:00.0000018"): what TimeSpan prints, read back by [timespan] without loss.
    /// </summary>
    public static string Duration(TimeSpan duration)
    {
        string text = duration.ToString("c", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) && text.LastIndexOf('.') > text.IndexOf(':', StringComparison.Ordinal)
            ? text.TrimEnd('0').TrimEnd('.')
            : text;
    }

    /// <summary><see cref="Duration(TimeSpan)"/>, or null.</summary>
    public static string? Duration(TimeSpan? duration) => duration is { } value ? Duration(value) : null;
}
