using System.Text.Json;
using System.Text.Json.Serialization;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Race;

/// <summary>
/// Where a host's race calibration lives and how it is read and written. The file is
/// race-calibration.json under $XDG_DATA_HOME/snattools, else /var/lib/snattools for root,
/// else ~/.local/share/snattools. One that is missing, unreadable or made on another machine is
/// never used: the shipped default is, with a warning that says why.
/// </summary>
public static class SnatRaceCalibrationStore
{
    public const string FileName = "race-calibration.json";
    private const int Version = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The file for this user: see the type's summary.</summary>
    public static string DefaultPath()
    {
        string? dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(dataHome) && System.IO.Path.IsPathRooted(dataHome))
        {
            return System.IO.Path.Combine(dataHome, "snattools", FileName);
        }

        if (Libc.geteuid() == 0)
        {
            return System.IO.Path.Combine("/var/lib/snattools", FileName);
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return System.IO.Path.Combine(home, ".local", "share", "snattools", FileName);
    }

    /// <summary>
    /// The calibration the model should use: the one at <paramref name="path"/> when it is sound
    /// and belongs to <paramref name="machine"/>; otherwise the shipped one, with a warning saying why.
    /// </summary>
    public static SnatRaceCalibrationChoice Choose(string path, MachineFacts machine)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(machine);
        var shipped = ShippedRaceCalibration.Calibration;
        const string Fix = "Run Update-SnatRaceCalibration as root on this host to fit its own.";
        if (!File.Exists(path))
        {
            return new(shipped, $"This host has no race calibration ({path}): the model uses the {shipped}. {Fix}");
        }

        SnatRaceCalibration host;
        try
        {
            host = Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or NotSupportedException)
        {
            return new(shipped, $"The race calibration {path} cannot be used ({ex.Message}): the model uses the shipped default. {Fix}");
        }

        if (host.Machine!.DifferenceFrom(machine) is { } difference)
        {
            return new(shipped, $"The race calibration {path} was made elsewhere ({difference}): the model uses the shipped default. {Fix}");
        }

        return new(host, null);
    }

    /// <summary>Reads a calibration file.</summary>
    /// <exception cref="InvalidDataException">It is not a calibration this version can use.</exception>
    public static SnatRaceCalibration Read(string path)
    {
        var file = JsonSerializer.Deserialize<CalibrationFile>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException("the file is empty");
        if (file.Version != Version)
        {
            throw new InvalidDataException($"version {file.Version}, this SnatTools reads version {Version}");
        }

        if (file.Machine is null || file.Fit is null || file.Runs is null || file.Runs.Any(run => run is null))
        {
            throw new InvalidDataException("machine, fit or runs missing");
        }

        if (file.Fit.MedianColdWindow <= TimeSpan.Zero || file.Fit.MedianColdWindow > TimeSpan.FromSeconds(1)
            || !(file.Fit.WindowSigma is >= 0 and <= RaceTiming.MaxWindowSigma)
            || file.Fit.Runs < RaceWindowFitter.MinimumRuns || file.Fit.Runs > file.Runs.Count)
        {
            throw new InvalidDataException("the fitted window is out of range");
        }

        return new SnatRaceCalibration(SnatRaceCalibrationSource.Host, file.Date, file.Fit, file.Runs, file.Machine, path);
    }

    /// <summary>Writes <paramref name="calibration"/> to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static SnatRaceCalibration Write(SnatRaceCalibration calibration, string path)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(path);
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var file = new CalibrationFile(
            Version,
            calibration.Date ?? DateTimeOffset.UtcNow,
            calibration.Machine ?? MachineFacts.Current(),
            calibration.Fit,
            calibration.LabRuns);
        string temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(file, Json));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new SnatRaceCalibration(SnatRaceCalibrationSource.Host, file.Date, file.Fit, file.Runs, file.Machine, path);
    }

    private sealed record CalibrationFile(int Version, DateTimeOffset Date, MachineFacts Machine, RaceWindowFit Fit, IReadOnlyList<RaceLabRun> Runs);
}
