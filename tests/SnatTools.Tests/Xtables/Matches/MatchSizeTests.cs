using SnatTools.Core.Xtables;
using SnatTools.Core.Xtables.Matches;

namespace SnatTools.Tests.Xtables.Matches;

/// <summary>
/// Every match revision the kernel here accepts (a..l and m..z), at its one valid blob size (XT_ALIGN of the uapi
/// struct, as both the legacy sockopt and NFTA_MATCH_INFO return it): any other size is an
/// UnknownMatch, and no blob of the right size makes a decoder or printer throw.
/// </summary>
public sealed class MatchSizeTests
{
    /// <summary>Name, revision, XT_ALIGN(sizeof) from the uapi headers (checked with a C compiler against /usr/include).</summary>
    public static TheoryData<string, uint, int> Sizes => new()
    {
        { "addrtype", 0, 16 }, { "addrtype", 1, 8 }, { "ah", 0, 16 }, { "esp", 0, 16 }, { "ipcomp", 0, 16 },
        { "bpf", 0, 528 }, { "bpf", 1, 528 }, { "cgroup", 0, 8 }, { "cgroup", 1, 4112 }, { "cgroup", 2, 528 },
        { "cluster", 0, 16 }, { "comment", 0, 256 }, { "connbytes", 0, 24 }, { "connlabel", 0, 8 },
        { "connlimit", 0, 32 }, { "connlimit", 1, 32 }, { "connmark", 1, 16 },
        { "conntrack", 1, 152 }, { "conntrack", 2, 160 }, { "conntrack", 3, 168 },
        { "cpu", 0, 8 }, { "dccp", 0, 16 }, { "devgroup", 0, 24 }, { "dscp", 0, 8 }, { "ecn", 0, 8 }, { "eui64", 0, 8 },
        { "frag", 0, 16 }, { "dst", 0, 40 }, { "hbh", 0, 40 }, { "hashlimit", 1, 56 }, { "hashlimit", 2, 304 }, { "hashlimit", 3, 312 },
        { "helper", 0, 40 }, { "hl", 0, 8 }, { "icmp", 0, 8 }, { "icmp6", 0, 8 }, { "ipv6header", 0, 8 },
        { "iprange", 1, 72 }, { "ipvs", 0, 40 }, { "length", 0, 8 }, { "limit", 0, 40 },
        { "mac", 0, 16 }, { "mark", 1, 16 }, { "mh", 0, 8 }, { "multiport", 0, 32 }, { "multiport", 1, 48 },
        { "nfacct", 0, 40 }, { "nfacct", 1, 40 }, { "osf", 0, 48 }, { "owner", 1, 24 }, { "physdev", 0, 72 },
        { "pkttype", 0, 8 }, { "policy", 0, 312 }, { "quota", 0, 24 }, { "rateest", 0, 72 }, { "realm", 0, 16 },
        { "recent", 0, 216 }, { "recent", 1, 232 }, { "rpfilter", 0, 8 }, { "rt", 0, 280 }, { "sctp", 0, 296 },
        { "set", 0, 32 }, { "set", 1, 8 }, { "set", 2, 8 }, { "set", 3, 48 }, { "set", 4, 48 },
        { "socket", 0, 0 }, { "socket", 1, 8 }, { "socket", 2, 8 }, { "socket", 3, 8 },
        { "srh", 0, 16 }, { "srh", 1, 112 }, { "state", 0, 8 }, { "statistic", 0, 24 }, { "string", 0, 160 }, { "string", 1, 160 },
        { "tcp", 0, 16 }, { "udp", 0, 16 }, { "tcpmss", 0, 8 }, { "time", 0, 24 }, { "tos", 1, 8 }, { "ttl", 0, 8 }, { "u32", 0, 1984 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_blob_of_any_other_size_is_unknown(string name, uint revision, int size)
    {
        Assert.IsNotType<UnknownMatch>(XtMatchRegistry.Decode(name, revision, new byte[size]));

        // One alignment unit (8 bytes) larger or smaller is a layout we do not know, never a value read from it.
        foreach (int wrong in new[] { size - 8, size - 1, size + 1, size + 8, 0, 4 }.Where(s => s >= 0 && s != size).Distinct())
        {
            var match = XtMatchRegistry.Decode(name, revision, new byte[wrong]);
            Assert.IsType<UnknownMatch>(match);
            Assert.False(match.IsDecoded);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void An_unknown_revision_is_unknown(string name, uint revision, int size)
    {
        Assert.IsType<UnknownMatch>(XtMatchRegistry.Decode(name, revision + 7, new byte[size]));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Random_blobs_of_the_right_size_never_throw(string name, uint revision, int size)
    {
        var random = new Random(unchecked((int)(name.GetHashCode(StringComparison.Ordinal) ^ revision)));
        for (int i = 0; i < 500; i++)
        {
            var blob = new byte[size];
            random.NextBytes(blob);

            // Half the runs keep small counts and NUL-terminated names, so that printing is reached, not only refusal.
            if (i % 2 == 0)
            {
                for (int b = 0; b < size; b++)
                {
                    blob[b] = (byte)(blob[b] % 5);
                }
            }

            var match = XtMatchRegistry.Decode(name, revision, blob);
            _ = match.Save(MatchBlob.IPv4);
            _ = match.Save(MatchBlob.IPv6);
        }
    }

    [Fact]
    public void Revisions_the_kernel_no_longer_accepts_are_unknown()
    {
        // xt_mark_info, ipt_owner_info, ipt_tos_info are gone from the uapi headers; the kernel registers only the newer revision.
        Assert.IsType<UnknownMatch>(XtMatchRegistry.Decode("mark", 0, new byte[24]));
        Assert.IsType<UnknownMatch>(XtMatchRegistry.Decode("owner", 0, new byte[24]));
        Assert.IsType<UnknownMatch>(XtMatchRegistry.Decode("tos", 0, new byte[8]));
    }
}
