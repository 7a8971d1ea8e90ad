using BenchmarkDotNet.Running;

namespace SnatTools.Benchmarks;

/// <summary>
/// `build.ps1 Bench` runs this. With no arguments every benchmark class runs; pass BenchmarkDotNet
/// arguments (for example --filter *Conntrack*) to pick some.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            args = ["--filter", "*"];
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(summary => summary.HasCriticalValidationErrors) ? 1 : 0;
    }
}
