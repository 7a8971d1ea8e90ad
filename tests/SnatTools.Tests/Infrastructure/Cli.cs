using System.Diagnostics;

namespace SnatTools.Tests.Infrastructure;

/// <summary>Runs the oracle tools (iptables-save, nft, conntrack, ip) for tests. Never used by the product.</summary>
public static class Cli
{
    public static string Run(string command, params string[] arguments) => RunWithInput(null, command, arguments);

    public static string RunWithInput(string? input, string command, params string[] arguments)
    {
        var (exit, stdout, stderr) = Execute(input, command, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited {exit}: {stderr}{stdout}");
        }

        return stdout;
    }

    public static bool TryRun(string command, params string[] arguments) => Execute(null, command, arguments).Exit == 0;

    public static (int Exit, string Stdout, string Stderr) Execute(string? input, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var stderrTask = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderrTask.Result);
    }
}
