using System.Collections.Concurrent;

namespace SnatTools.Tests.Infrastructure;

/// <summary>
/// A network namespace a test creates for itself: named snattools-&lt;purpose&gt;-&lt;random&gt;,
/// deleted on Dispose, and swept at process exit if a test forgot (only the ones this process
/// created). Tests use only 198.18.0.0/15 and 2001:db8::/32 inside it.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> Created = new();

    static TestNamespace()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var name in Created.Keys)
            {
                Cli.TryRun("ip", "netns", "del", name);
            }
        };
    }

    public TestNamespace(string purpose)
    {
        Name = $"snattools-{purpose}-{Guid.NewGuid():N}"[..(19 + purpose.Length)];
        Cli.Run("ip", "netns", "add", Name);
        Created[Name] = 0;
        Exec("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

    /// <summary>Runs a command inside the namespace (ip netns exec) and returns its stdout; throws on failure.</summary>
    public string Exec(string command, params string[] arguments) =>
        Cli.Run("ip", ["netns", "exec", Name, command, .. arguments]);

    /// <summary>Runs a command inside the namespace with text on stdin (for iptables-restore, nft -f -).</summary>
    public string ExecWithInput(string input, string command, params string[] arguments) =>
        Cli.RunWithInput(input, "ip", ["netns", "exec", Name, command, .. arguments]);

    public void Dispose()
    {
        Cli.TryRun("ip", "netns", "del", Name);
        Created.TryRemove(Name, out _);
    }
}
