using System.Globalization;

namespace SnatTools.Tests.Infrastructure;

/// <summary>
/// Loads kernel replies captured as hex (TestData/*.hex): '#' lines say how the bytes were
/// captured; a blank line separates datagrams.
/// </summary>
public static class Captures
{
    /// <summary>The '#' header lines without the leading "# " (captures record the oracle's output there).</summary>
    public static IReadOnlyList<string> Header(string fileName) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", fileName))
            .TakeWhile(line => line.StartsWith('#'))
            .Select(line => line.Length > 2 ? line[2..] : string.Empty)
            .ToList();

    public static IReadOnlyList<byte[]> Datagrams(string fileName)
    {
        var datagrams = new List<byte[]>();
        var current = new List<byte>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", fileName)))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                Flush();
                continue;
            }

            foreach (var hex in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                current.Add(byte.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        Flush();
        return datagrams;

        void Flush()
        {
            if (current.Count > 0)
            {
                datagrams.Add([.. current]);
                current.Clear();
            }
        }
    }
}
