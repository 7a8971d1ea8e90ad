using SnatTools.Core;

namespace SnatTools.Audit;

/// <summary>The Pester files the module ships in its Audit folder: the audit's checks.</summary>
internal static class AuditFiles
{
    public const string Folder = "Audit";

    public static IReadOnlyList<string> Find(string moduleBase)
    {
        string folder = Path.Combine(moduleBase, Folder);
        string[] files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.Tests.ps1").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
        {
            throw new SnatToolsException(ErrorIds.AuditTestsMissing, ErrorKind.ObjectNotFound,
                $"The audit's tests are missing: there is no *.Tests.ps1 in {folder}. Reinstall SnatTools.", folder);
        }

        return files;
    }
}
