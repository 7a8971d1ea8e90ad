using System.Globalization;
using System.Text;

namespace SnatTools.Core.Race;

/// <summary>
/// Lab runs as CSV, one run a line: how the shipped calibration's data is kept in the repository
/// (Race/Calibration/shipped-lab-runs.csv) and how a collection script appends to it.
/// </summary>
public static class RaceLabRunCsv
{
    public const string Header = "date,machine,cpu_model,cpus,kernel,lab,idle_ms,clients,bursts,bursts_with_stall,stalled,aligned_bursts,aligned_with_stall,insert_failed,load1,note";

    /// <summary>Reads runs from CSV text with <see cref="Header"/> (blank lines and lines starting with # are skipped).</summary>
    /// <exception cref="FormatException">A line that is not a run, with its number.</exception>
    public static IReadOnlyList<RaceLabRun> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var runs = new List<RaceLabRun>();
        bool header = true;
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (header)
            {
                header = false;
                if (line != Header)
                {
                    throw new FormatException($"line {number}: expected the header '{Header}'.");
                }

                continue;
            }

            var fields = Split(line);
            if (fields.Count != 16)
            {
                throw new FormatException($"line {number}: {fields.Count} fields, expected 16.");
            }

            try
            {
                runs.Add(new RaceLabRun(
                    fields[0].Length == 0 ? null : DateTimeOffset.Parse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    fields[1], fields[2], Int(fields[3]), fields[4], fields[5], Int(fields[6]), Int(fields[7]), Int(fields[8]), Int(fields[9]),
                    OptionalInt(fields[10]), OptionalInt(fields[11]), OptionalInt(fields[12]),
                    fields[13].Length == 0 ? null : long.Parse(fields[13], CultureInfo.InvariantCulture),
                    fields[14].Length == 0 ? null : double.Parse(fields[14], CultureInfo.InvariantCulture),
                    fields[15].Length == 0 ? null : fields[15]));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new FormatException($"line {number}: {ex.Message}", ex);
            }
        }

        return runs;
    }

    /// <summary>One CSV line for <paramref name="run"/>.</summary>
    public static string Format(RaceLabRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string[] fields =
        [
            run.Date?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? string.Empty,
            run.Machine, run.CpuModel, Invariant(run.Cpus), run.Kernel, run.Lab, Invariant(run.IdleMilliseconds), Invariant(run.Clients),
            Invariant(run.Bursts), Invariant(run.BurstsWithStall), Invariant(run.Stalled), Invariant(run.AlignedBursts), Invariant(run.AlignedBurstsWithStall),
            Invariant(run.InsertFailed), run.Load?.ToString("0.00", CultureInfo.InvariantCulture) ?? string.Empty, run.Note ?? string.Empty,
        ];
        return string.Join(',', fields.Select(Quote));
    }

    private static int Int(string field) => int.Parse(field, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static int? OptionalInt(string field) => field.Length == 0 ? null : Int(field);

    private static string Invariant<T>(T? value)
        where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Invariant<T>(T value)
        where T : struct, IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Quote(string field) => field.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
