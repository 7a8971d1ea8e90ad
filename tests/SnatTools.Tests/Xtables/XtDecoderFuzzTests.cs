using System.Buffers.Binary;
using System.Text;
using CsCheck;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;
using SnatTools.Core.Xtables;

namespace SnatTools.Tests.Xtables;

/// <summary>
/// The x_tables decoders never let an exception out of one rule: any match name, revision and
/// blob decodes (to its type or to an UnknownMatch) and prints; and a legacy table of random
/// entries, some with matches nothing decodes or with blobs of the wrong size, reads back every
/// MASQUERADE rule, the odd ones with their Unknown parts.
/// </summary>
public sealed class XtDecoderFuzzTests
{
    // Every match iptables 1.8.9 ships, and names nothing ships.
    private static readonly string[] Names =
    [
        "addrtype", "ah", "bpf", "cgroup", "cluster", "comment", "connbytes", "connlabel", "connlimit", "connmark", "conntrack",
        "cpu", "dccp", "devgroup", "dscp", "dst", "ecn", "esp", "eui64", "frag", "hashlimit", "hbh", "helper", "hl", "icmp",
        "icmp6", "ipcomp", "iprange", "ipv6header", "ipvs", "length", "limit", "mac", "mark", "mh", "multiport", "nfacct",
        "osf", "owner", "physdev", "pkttype", "policy", "quota", "rateest", "realm", "recent", "rpfilter", "rt", "sctp", "set",
        "socket", "srh", "state", "statistic", "string", "tcp", "tcpmss", "time", "tos", "ttl", "u32", "udp",
        "", "x", "MASQUERADE", "no-such-match",
    ];

    private static readonly Gen<byte[]> Blob = Gen.Int[0, 3].SelectMany(kind => kind switch
    {
        0 => Gen.Byte.Array[0, 16],
        1 => Gen.Byte.Array[Gen.Int[0, 40].Select(n => n * 8)],
        2 => Gen.Byte.Array[17, 600],
        _ => Gen.Int[0, 40].Select(n => new byte[n * 8]), // all zeros: the decoders' most likely "valid" blob
    });

    private static readonly Gen<(string Name, uint Revision, byte[] Info)> Match =
        Gen.Select(Gen.Frequency((4, Gen.OneOf(Names)), (1, Gen.String[Gen.Char.AlphaNumeric, 0, 28])), Gen.UInt[0, 4], Blob);

    [Fact]
    public void Any_match_name_revision_and_blob_decodes_and_prints_without_throwing()
    {
        Gen.Select(Match, Gen.Bool, Gen.UShort[0, 300]).Sample(t =>
        {
            var ((name, revision, info), ipv6, protocol) = t;
            var match = XtMatchRegistry.Decode(name, revision, info);
            Assert.Equal(name, match.Name);
            string text = match.Save(new XtSaveContext(ipv6, protocol, _ => null));
            Assert.StartsWith(" -m ", text, StringComparison.Ordinal);
            Assert.DoesNotContain('\0', text);
        }, iter: 20_000);
    }

    [Fact]
    public void A_legacy_table_of_random_entries_reads_back_every_masquerade_rule()
    {
        var entry = Gen.Select(Match.Array[0, 3], Gen.Byte.Array[84], Gen.Bool);
        Gen.Select(entry.Array[1, 12], Gen.Bool).Sample(t =>
        {
            var (entries, ipv6) = t;
            var layout = ipv6 ? LegacyTableLayout.IPv6 : LegacyTableLayout.IPv4;
            var table = Table(layout, entries.Select(e => (e.Item1, e.Item2, e.Item3)).ToList());

            var chains = LegacyTableParser.Parse(table, out _);
            var rules = chains.SelectMany(c => c.Rules.Select((entry, i) => (Chain: c.Name, Position: i + 1, Entry: entry)))
                .Where(r => r.Entry.Rule.NatTarget is not null)
                .Select(r => SnatRuleFactory.FromLegacyEntry(table, r.Chain, r.Position, r.Entry, null, string.Empty, null, null))
                .ToList();

            Assert.Equal(entries.Count(e => e.Item3), rules.Count);
            foreach (var (rule, (matches, _, _)) in rules.Zip(entries.Where(e => e.Item3)))
            {
                Assert.True(rule.NatDecoded);
                Assert.StartsWith("-A POSTROUTING", rule.Text, StringComparison.Ordinal);
                Assert.EndsWith("-j MASQUERADE", rule.Text, StringComparison.Ordinal);
                var undecoded = matches.Where(m => !XtMatchRegistry.Decode(m.Name, m.Revision, Padded(m.Info)).IsDecoded).ToList();
                Assert.Equal(undecoded.Count > 0, !rule.Decoded);
            }
        }, iter: 3_000);
    }

    /// <summary>A nat table with POSTROUTING holding the entries (MASQUERADE or a plain ACCEPT), its policy, and the final ERROR entry.</summary>
    private static LegacyTable Table(LegacyTableLayout layout, List<((string Name, uint Revision, byte[] Info)[] Matches, byte[] Header, bool Masquerade)> entries)
    {
        var blob = new List<byte>();
        foreach (var (matches, header, masquerade) in entries)
        {
            blob.AddRange(Entry(layout, header, matches, masquerade ? Masquerade(layout.IsIPv6) : Standard(-2)));
        }

        int policy = blob.Count;
        blob.AddRange(Entry(layout, new byte[84], [], Standard(-2)));
        var error = new byte[32 + 32];
        BinaryPrimitives.WriteUInt16LittleEndian(error, (ushort)error.Length);
        Encoding.ASCII.GetBytes("ERROR", error.AsSpan(2));
        Encoding.ASCII.GetBytes("ERROR", error.AsSpan(32));
        blob.AddRange(Entry(layout, new byte[84], [], error));
        uint[] hooks = [0, 0, 0, 0, 0];
        uint[] underflow = [0, 0, 0, 0, (uint)policy];
        return new LegacyTable(layout, "nat", 1u << 4, hooks, underflow, entries.Count + 2, [.. blob]);
    }

    private static byte[] Entry(LegacyTableLayout layout, byte[] header, (string Name, uint Revision, byte[] Info)[] matches, byte[] target)
    {
        var bytes = new List<byte>(new byte[layout.EntryHeaderLength]);
        // The random part of ipt_ip: addresses and masks (not the interface names, protocol or flags a test cannot predict).
        header.AsSpan(0, Math.Min(header.Length, layout.IsIPv6 ? 64 : 16)).CopyTo(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
        foreach (var (name, revision, info) in matches)
        {
            var padded = Padded(info);
            var match = new byte[32 + padded.Length];
            BinaryPrimitives.WriteUInt16LittleEndian(match, (ushort)match.Length);
            Encoding.ASCII.GetBytes(name.Length > 28 ? name[..28] : name, match.AsSpan(2));
            match[31] = (byte)revision;
            padded.CopyTo(match.AsSpan(32));
            bytes.AddRange(match);
        }

        int targetOffset = bytes.Count;
        bytes.AddRange(target);
        var entry = bytes.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(layout.TargetOffsetField), (ushort)targetOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(layout.NextOffsetField), (ushort)entry.Length);
        return entry;
    }

    /// <summary>Match data as the kernel lays it out: a multiple of 8 bytes (XT_ALIGN), at most what fits a u16 size.</summary>
    private static byte[] Padded(byte[] info)
    {
        var padded = new byte[Math.Min((info.Length + 7) / 8 * 8, 1024)];
        info.AsSpan(0, Math.Min(info.Length, padded.Length)).CopyTo(padded);
        return padded;
    }

    private static byte[] Standard(int verdict)
    {
        var target = new byte[40];
        BinaryPrimitives.WriteUInt16LittleEndian(target, 40);
        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(32), verdict);
        return target;
    }

    private static byte[] Masquerade(bool ipv6)
    {
        var info = XtNatTarget.Create(XtNatTarget.Masquerade, 0, ipv6 ? XtNatLayout.Range : XtNatLayout.MultiRangeCompat, new NatRange(NatRangeFlags.None, null, null, 0, 0), ipv6).Encode();
        var target = new byte[32 + ((info.Length + 7) / 8 * 8)];
        BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)target.Length);
        Encoding.ASCII.GetBytes(XtNatTarget.Masquerade, target.AsSpan(2));
        info.CopyTo(target.AsSpan(32));
        return target;
    }
}
