using System.Collections;

namespace SnatTools.Audit;

/// <summary>The Pester configuration of an audit run, as New-PesterConfiguration -Hashtable takes it.</summary>
internal static class AuditConfiguration
{
    public static Hashtable Create(IReadOnlyList<object> containers, bool detailed, string suiteName)
    {
        return new Hashtable
        {
            // The caller gets the verdict from the run object; Pester must neither exit nor throw.
            ["Run"] = new Hashtable { ["Container"] = containers.ToArray(), ["PassThru"] = true, ["Exit"] = false, ["Throw"] = false },
            // A finding already says what is wrong and how to fix it; the line of the audit file
            // that raised it would only look like a crash to an operator.
            ["Output"] = new Hashtable { ["Verbosity"] = detailed ? "Detailed" : "Normal", ["StackTraceVerbosity"] = "None" },
            // No report from Invoke-Pester itself: AuditReport writes it after the run, XML-safe.
            // The suite name still goes here, where Pester's exporters read it.
            ["TestResult"] = new Hashtable { ["Enabled"] = false, ["TestSuiteName"] = suiteName },
        };
    }
}
