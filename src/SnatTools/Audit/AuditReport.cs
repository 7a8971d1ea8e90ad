using System.Collections;
using System.Management.Automation;
using System.Xml;
using SnatTools.Core;

namespace SnatTools.Audit;

/// <summary>
/// The audit's NUnit/JUnit report. Pester writes its reports with an XmlWriter that throws at the
/// first character XML 1.0 forbids (the ESC of a hostile rule comment) halfway through the file,
/// and Invoke-Pester then returns no run at all. So the audit runs Pester without a report, makes
/// every name and message of the run XML-safe here (control characters escaped as <c>\x1b</c>,
/// the rest unchanged, so the report still names the rule), and has Pester export the run to a
/// temporary file that is checked and renamed over the target: the report is whole and
/// well-formed, or it is not written and the cmdlet says why.
/// </summary>
internal static class AuditReport
{
    private static readonly string[] NameProperties = ["Name", "ExpandedName", "ExpandedPath"];
    private static readonly string[] ErrorNotes = ["DisplayErrorMessage", "DisplayStackTrace"];

    /// <summary>Escapes, in place, what Pester's report writers read from the run: names, paths, data values and error texts.</summary>
    public static void MakeXmlSafe(PSObject run)
    {
        foreach (object container in Items(run, "Containers"))
        {
            EscapeErrors(container);
            foreach (object block in Items(container, "Blocks"))
            {
                EscapeBlock(block);
            }
        }
    }

    /// <summary>Writes the report: a temporary file beside <paramref name="path"/>, parsed back, then renamed over it.</summary>
    public static void Write(Action<string> export, string path)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            export(temporary);
            using (var reader = XmlReader.Create(temporary))
            {
                while (reader.Read())
                {
                    // Reading to the end proves the file is well-formed.
                }
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            throw new SnatToolsException(ErrorIds.AuditReportFailed, ErrorKind.InvalidData,
                $"The audit report {full} could not be written: {ex.Message} The audit ran; its results are in the output of -PassThru.", full, ex);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void EscapeBlock(object block)
    {
        EscapeNames(block);
        EscapeErrors(block);
        foreach (object test in Items(block, "Tests"))
        {
            EscapeNames(test);
            EscapeErrors(test);
            if (Property(test, "Data") is IDictionary data)
            {
                foreach (object key in data.Keys.Cast<object>().ToArray())
                {
                    if (data[key] is string text && !SafeText.IsSafe(text))
                    {
                        data[key] = SafeText.Escape(text);
                    }
                }
            }
        }

        foreach (object child in Items(block, "Blocks"))
        {
            EscapeBlock(child);
        }
    }

    private static void EscapeNames(object item)
    {
        var properties = PSObject.AsPSObject(item).Properties;
        foreach (string name in NameProperties)
        {
            if (properties[name] is { IsSettable: true, Value: string text } property && !SafeText.IsSafe(text))
            {
                property.Value = SafeText.Escape(text);
            }
        }

        if (properties["Path"]?.Value is IList<string> path)
        {
            for (int i = 0; i < path.Count; i++)
            {
                path[i] = SafeText.Escape(path[i]);
            }
        }
    }

    private static void EscapeErrors(object item)
    {
        foreach (object error in Items(item, "ErrorRecord", unwrap: false))
        {
            // Pester attaches these notes to each error; its report writers read them, not the exception.
            var properties = PSObject.AsPSObject(error).Properties;
            foreach (string name in ErrorNotes)
            {
                if (properties[name] is { Value: string text } property && !SafeText.IsSafe(text, keepLineBreaks: true))
                {
                    property.Value = SafeText.Escape(text, keepLineBreaks: true);
                }
            }
        }
    }

    private static object? Property(object item, string name)
    {
        object? value = PSObject.AsPSObject(item).Properties[name]?.Value;
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }

    private static IEnumerable<object> Items(object item, string name, bool unwrap = true) =>
        Property(item, name) is IEnumerable items and not string
            ? items.Cast<object>().Select(o => unwrap && o is PSObject wrapped ? wrapped.BaseObject : o)
            : [];
}
