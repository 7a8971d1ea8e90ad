using System.Collections.ObjectModel;

namespace SnatTools.Core.Output;

/// <summary>
/// A read-only list that prints its items, "a; b; c", where a plain list prints its type name:
/// Export-Csv (and ConvertTo-Json beyond -Depth) write a property's ToString().
/// </summary>
public class ReadableList<T> : ReadOnlyCollection<T>
{
    public static new ReadableList<T> Empty { get; } = new([]);

    public ReadableList(IList<T> items)
        : base(items)
    {
    }

    public override string ToString() => string.Join("; ", this);
}

/// <summary>Builds <see cref="ReadableList{T}"/>s.</summary>
public static class ReadableList
{
    /// <summary>The items as a readable list; the same object when it already is one.</summary>
    public static ReadableList<T> From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items switch
        {
            ReadableList<T> readable => readable,
            ICollection<T> { Count: 0 } => ReadableList<T>.Empty,
            _ => new ReadableList<T>(items.ToArray()),
        };
    }
}
