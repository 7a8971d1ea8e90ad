using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// The text nft itself prints, from libnftables (the library nft is built on, so it matches the
/// host's nft version by construction): one `list chain` per chain, with handles, its lines mapped
/// to rules by their `# handle N` suffix. Used only for rules the native printer cannot print in
/// full. Runs inside the target namespace on a thread of its own (<see cref="NetworkNamespace.Run"/>),
/// because nft_ctx_new opens its netlink socket in the caller's namespace. A host without the
/// library (or SNATTOOLS_NO_LIBNFTABLES=1) gets null and keeps the native text.
/// </summary>
public static partial class LibNftables
{
    private const string Library = "libnftables.so.1";

    /// <summary>NFT_CTX_OUTPUT_HANDLE (include/nftables/libnftables.h, nftables 1.0.6).</summary>
    private const uint OutputHandle = 1 << 3;

    /// <summary>NFT_CTX_DEFAULT: nft_ctx_new opens the netlink socket only with this.</summary>
    private const uint ContextDefault = 0;

    private static readonly Lock Gate = new();
    private static readonly AsyncLocal<bool> Suppressed = new();
    private static bool _unavailable;

    /// <summary>Whether libnftables may be used: loadable and not switched off by SNATTOOLS_NO_LIBNFTABLES=1.</summary>
    public static bool Enabled => !_unavailable && !Suppressed.Value && Environment.GetEnvironmentVariable("SNATTOOLS_NO_LIBNFTABLES") != "1";

    /// <summary>For tests: the native printer alone, on this async flow only (the environment switch is process-wide).</summary>
    internal static IDisposable NativeOnly()
    {
        Suppressed.Value = true;
        return new Restore();
    }

    /// <summary>
    /// Each rule's line of `nft list chain family table chain`, by handle, without the indentation
    /// and the handle comment; null when the library is missing or the chain cannot be listed.
    /// </summary>
    public static IReadOnlyDictionary<ulong, string>? ListChain(string? networkNamespace, string family, string table, string chain)
    {
        if (!Enabled || !IsQuotable(table) || !IsQuotable(chain))
        {
            return null;
        }

        try
        {
            string command = $"list chain {family} {table} {chain}";
            string? output = NetworkNamespace.Run(networkNamespace, () => Run(command));
            return output is null ? null : RulesByHandle(output);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        catch (SnatToolsException)
        {
            return null; // the namespace went away: the native text stands
        }
    }

    /// <summary>The rule lines of nft's chain listing, by the handle each ends with.</summary>
    public static Dictionary<ulong, string> RulesByHandle(string listing)
    {
        var rules = new Dictionary<ulong, string>();
        bool inChain = false;
        foreach (string raw in listing.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("chain ", StringComparison.Ordinal))
            {
                inChain = true;
                continue;
            }

            if (!inChain || HandleSuffix().Match(line) is not { Success: true } match)
            {
                continue;
            }

            rules[ulong.Parse(match.Groups[2].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)] = match.Groups[1].Value;
        }

        return rules;
    }

    /// <summary>nft's command parser takes only plain identifiers as table and chain names (scanner.l `string`); others keep the native text.</summary>
    private static bool IsQuotable(string name) => Identifier().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z_.][A-Za-z0-9/\\_.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    private static string? Run(string command)
    {
        lock (Gate)
        {
            nint context = nft_ctx_new(ContextDefault);
            if (context == 0)
            {
                return null;
            }

            try
            {
                nft_ctx_output_set_flags(context, OutputHandle);
                if (nft_ctx_buffer_output(context) != 0 || nft_ctx_buffer_error(context) != 0)
                {
                    return null;
                }

                if (nft_run_cmd_from_buffer(context, command) != 0)
                {
                    return null;
                }

                return Marshal.PtrToStringUTF8(nft_ctx_get_output_buffer(context));
            }
            finally
            {
                nft_ctx_free(context);
            }
        }
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => Suppressed.Value = false;
    }

    [GeneratedRegex(@"^(.*\S)\s+# handle (\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex HandleSuffix();

    [LibraryImport(Library)]
    private static partial nint nft_ctx_new(uint flags);

    [LibraryImport(Library)]
    private static partial void nft_ctx_free(nint context);

    [LibraryImport(Library)]
    private static partial void nft_ctx_output_set_flags(nint context, uint flags);

    [LibraryImport(Library)]
    private static partial int nft_ctx_buffer_output(nint context);

    [LibraryImport(Library)]
    private static partial int nft_ctx_buffer_error(nint context);

    [LibraryImport(Library)]
    private static partial nint nft_ctx_get_output_buffer(nint context);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int nft_run_cmd_from_buffer(nint context, string command);
}
