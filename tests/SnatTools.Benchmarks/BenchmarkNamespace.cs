using System.Diagnostics;

namespace SnatTools.Benchmarks;

/// <summary>A network namespace for a benchmark (snattools-bench-*), loaded with a ruleset and deleted afterwards.</summary>
public sealed class BenchmarkNamespace : IDisposable
{
    public BenchmarkNamespace(string purpose)
    {
        Name = $"snattools-bench-{purpose}-{Guid.NewGuid():N}"[..(24 + purpose.Length)];
        Run("ip", null, "netns", "add", Name);
    }

    public string Name { get; }

    public void Exec(string? input, string command, params string[] arguments) => Run("ip", input, ["netns", "exec", Name, command, .. arguments]);

    /// <summary>Runs a tool in the namespace and throws its output away (read fully, as a user's pipe would).</summary>
    public long ExecDiscard(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["netns", "exec", Name, command, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        long length = 0;
        var buffer = new char[65536];
        int read;
        while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
        {
            length += read;
        }

        process.WaitForExit();
        _ = error.Result;
        return length;
    }

    private static void Run(string command, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}");
        }
    }

    public void Dispose() => Run("ip", null, "netns", "del", Name);
}
