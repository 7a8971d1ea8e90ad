namespace SnatTools.Tests.Infrastructure;

/// <summary>Live tests need root (CAP_NET_ADMIN, setns); they skip with this reason elsewhere. CI runs as root.</summary>
public static class Root
{
    public static bool IsRoot { get; } = Environment.UserName == "root" || Cli.Execute(null, "id", "-u").Stdout.Trim() == "0";

    public const string Reason = "needs root (CAP_NET_ADMIN and setns) to create its own network namespaces; CI runs as root";

    public static void Require() => Skip.IfNot(IsRoot, Reason);
}
