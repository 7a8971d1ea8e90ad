using System.Text;

namespace SnatTools.Core.Metrics;

/// <summary>
/// Replaces a file so that a reader sees the old content or the new, never a half-written file:
/// the text goes to a hidden temporary file in the same folder (same file system, and not named
/// *.prom, so node_exporter's textfile collector skips it), is flushed to disk, then renamed over
/// the target (rename(2) is atomic).
/// </summary>
public static class AtomicFile
{
    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <exception cref="SnatToolsException">MetricFileNotWritten when the folder is missing or the file cannot be written.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? "/";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            // 0644: node_exporter usually runs as its own user and must be able to read it.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = ReadableByAll;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new SnatToolsException(ErrorIds.MetricFileNotWritten, ErrorKind.InvalidOperation,
                $"Cannot write {full}: {ex.Message} (the folder must exist and be writable; the file is written next to it first, then renamed).", full);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
