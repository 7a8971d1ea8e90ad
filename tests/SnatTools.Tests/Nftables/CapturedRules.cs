using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Nftables;

/// <summary>The NEWRULE messages of a captured nf_tables dump, decoded.</summary>
internal static class CapturedRules
{
    public static IReadOnlyList<NftRule> From(string fileName)
    {
        var rules = new List<NftRule>();
        foreach (var datagram in Captures.Datagrams(fileName))
        {
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryNext(out var message))
            {
                if (message.Type == NftMessage.Type(NftMessage.NewRule))
                {
                    rules.Add(NftRule.Decode(message));
                }
            }
        }

        return rules;
    }

    /// <summary>The rule lines the oracle printed at capture time (header lines "  -A ..." or nft statements).</summary>
    public static IReadOnlyList<string> OracleLines(string fileName, string prefix) =>
        Captures.Header(fileName).Select(l => l.Trim()).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
}
