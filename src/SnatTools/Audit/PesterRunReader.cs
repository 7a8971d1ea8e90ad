using System.Collections;
using System.Management.Automation;
using SnatTools.Core.Audit;

namespace SnatTools.Audit;

/// <summary>
/// Turns Pester's run object (Pester 5 and 6 share its shape: Containers, Blocks, Tests, each with
/// Result and ErrorRecord) into one <see cref="SnatAuditResult"/> per audited target.
/// </summary>
internal static class PesterRunReader
{
    public const string TargetKey = "NetworkNamespace";

    public static IReadOnlyList<SnatAuditResult> Read(PSObject run, IReadOnlyList<string?> targets, string computerName, string? reportPath, DateTimeOffset timestamp)
    {
        var checks = targets.ToDictionary(Key, _ => new List<SnatAuditCheck>());
        var durations = targets.ToDictionary(Key, _ => TimeSpan.Zero);
        foreach (object container in Items(run, "Containers"))
        {
            var data = Property(container, "Data") as IDictionary;
            string key = Key(data?[TargetKey] as string);
            if (!checks.TryGetValue(key, out var list))
            {
                continue;
            }

            durations[key] += Property(container, "Duration") is TimeSpan spent ? spent : TimeSpan.Zero;
            int before = list.Count;
            foreach (object block in Items(container, "Blocks"))
            {
                AddTests(block, null, list);
            }

            string? containerError = FirstError(container);
            if (containerError is not null && list.Skip(before).All(c => c.Result != SnatAuditOutcome.Failed))
            {
                // The file itself failed (a parse error, a bad parameter): no It reported it.
                list.Add(new SnatAuditCheck($"{Path.GetFileName(Property(container, "Item")?.ToString() ?? "audit file")} runs", SnatAuditOutcome.Failed, containerError, TimeSpan.Zero));
            }
        }

        return targets
            .Select(target => new SnatAuditResult(computerName, string.IsNullOrEmpty(target) ? null : target, checks[Key(target)], durations[Key(target)], reportPath, timestamp))
            .ToArray();
    }

    private static void AddTests(object block, string? parentError, List<SnatAuditCheck> checks)
    {
        string? blockError = FirstError(block) ?? parentError;
        foreach (object test in Items(block, "Tests"))
        {
            string result = SnatAuditOutcome.Parse(Property(test, "Result")?.ToString());
            string? message = FirstError(test);
            if (result == SnatAuditOutcome.Failed && message is null && blockError is not null)
            {
                message = $"The check could not run: {blockError}";
            }

            string name = Property(test, "ExpandedName")?.ToString() ?? Property(test, "Name")?.ToString() ?? "?";
            var duration = Property(test, "Duration") is TimeSpan span ? span : TimeSpan.Zero;
            checks.Add(new SnatAuditCheck(name, result, result == SnatAuditOutcome.Passed ? null : message, duration));
        }

        foreach (object child in Items(block, "Blocks"))
        {
            AddTests(child, blockError, checks);
        }
    }

    private static string? FirstError(object item) =>
        Items(item, "ErrorRecord").OfType<ErrorRecord>().Select(e => e.Exception?.Message ?? e.ToString()).FirstOrDefault();

    private static string Key(string? target) => target ?? string.Empty;

    private static object? Property(object item, string name)
    {
        object? value = PSObject.AsPSObject(item).Properties[name]?.Value;
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }

    private static IEnumerable<object> Items(object item, string name) =>
        Property(item, name) is IEnumerable items and not string
            ? items.Cast<object>().Select(o => o is PSObject wrapped ? wrapped.BaseObject : o)
            : [];
}
