using System.Net;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Nftables;

namespace SnatTools.Tests.Xtables;

/// <summary>Every x_tables NAT target revision the kernel accepts, decoded from bytes the kernel returned.</summary>
public sealed class XtNatTargetTests
{
    private static List<XtNatTarget> Targets(string capture, bool ipv6) =>
        CapturedRules.From(capture).SelectMany(r => r.Expressions).OfType<TargetExpression>()
            .Select(t => XtNatTarget.TryDecode(t.Extension, t.Revision, t.Info, ipv6)!)
            .ToList();

    [Fact]
    public void IPv4_MASQUERADE_revision_0_is_a_multi_range_compat_with_rangesize_1()
    {
        var masquerades = Targets("nft-iptables-nat-ipv4.hex", ipv6: false).Where(t => t.IsMasquerade).ToList();

        Assert.Equal(3, masquerades.Count);
        Assert.All(masquerades, t => Assert.Equal((XtNatLayout.MultiRangeCompat, 0u, 24), (t.Layout, t.Revision, t.Info.Length)));
        Assert.Equal([NatRangeFlags.None, NatRangeFlags.ProtoSpecified | NatRangeFlags.ProtoRandom, NatRangeFlags.ProtoRandomFully], masquerades.Select(t => t.Range.Flags));
        Assert.Equal((1024, 65535), (masquerades[1].Range.MinPort, masquerades[1].Range.MaxPort));
        Assert.Equal(" --to-ports 1024-65535 --random", masquerades[1].SaveOptions());
        Assert.Equal(" --random-fully", masquerades[2].SaveOptions());
        Assert.All(masquerades, t => Assert.Equal(t.Info.ToArray(), t.Encode()));
    }

    [Fact]
    public void IPv4_SNAT_revision_0_carries_addresses_ports_and_every_flag()
    {
        var snats = Targets("nft-iptables-nat-ipv4.hex", ipv6: false).Where(t => !t.IsMasquerade).ToList();

        Assert.Equal(2, snats.Count);
        var range = snats[0].Range;
        Assert.Equal(NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified | NatRangeFlags.ProtoRandom | NatRangeFlags.Persistent, range.Flags);
        Assert.Equal((IPAddress.Parse("198.19.0.1"), IPAddress.Parse("198.19.0.5"), (ushort)1000, (ushort)2000), (range.MinAddress, range.MaxAddress, range.MinPort, range.MaxPort));
        Assert.Equal(" --to-source 198.19.0.1-198.19.0.5:1000-2000 --random --persistent", snats[0].SaveOptions());
        Assert.Equal(" --to-source 198.19.0.9 --random-fully", snats[1].SaveOptions());
        Assert.All(snats, t => Assert.Equal(t.Info.ToArray(), t.Encode()));
    }

    [Fact]
    public void IPv6_MASQUERADE_revision_0_and_SNAT_revision_1_are_nf_nat_range()
    {
        var targets = Targets("nft-iptables-nat-ipv6.hex", ipv6: true);

        Assert.All(targets, t => Assert.Equal((XtNatLayout.Range, 40), (t.Layout, t.Info.Length)));
        Assert.Equal([0u, 0u, 1u, 1u], targets.Select(t => t.Revision));
        Assert.Equal(
            [" --random-fully", " --to-ports 2000-3000", " --to-source [2001:db8::1-2001:db8::9]:1000-2000 --persistent", " --to-source 2001:db8::7 --random"],
            targets.Select(t => t.SaveOptions()));
        Assert.Equal(IPAddress.Parse("2001:db8::9"), targets[2].Range.MaxAddress);
        Assert.All(targets, t => Assert.Equal(t.Info.ToArray(), t.Encode()));
    }

    [Fact]
    public void SNAT_revision_2_is_nf_nat_range2_with_a_base_port()
    {
        var rev2 = Assert.Single(Targets("nft-iptables-snat-rev2.hex", ipv6: false), t => t.Revision == 2);

        Assert.Equal((XtNatLayout.Range2, 48), (rev2.Layout, rev2.Info.Length));
        Assert.Equal(NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified | NatRangeFlags.ProtoRandomFully, rev2.Range.Flags);
        Assert.Equal((IPAddress.Parse("198.19.0.1"), IPAddress.Parse("198.19.0.2"), (ushort)3000, (ushort)4000, (ushort)0),
            (rev2.Range.MinAddress, rev2.Range.MaxAddress, rev2.Range.MinPort, rev2.Range.MaxPort, rev2.Range.BasePort));
        Assert.Equal(" --to-source 198.19.0.1-198.19.0.2:3000-4000 --random-fully", rev2.SaveOptions());
        Assert.Equal(rev2.Info.ToArray(), rev2.Encode());
    }

    [Fact]
    public void Legacy_entries_hold_the_same_structs_after_a_32_byte_xt_entry_target()
    {
        var ipv4 = LegacyTarget("ipt-legacy-nat.hex", LegacyTableLayout.IPv4);
        var ipv6 = LegacyTarget("ip6t-legacy-nat.hex", LegacyTableLayout.IPv6);

        Assert.Equal(6, ipv4.Count);
        Assert.All(ipv4, t => Assert.Equal(XtNatLayout.MultiRangeCompat, t.Layout));
        Assert.Equal(4, ipv6.Count);
        Assert.All(ipv6, t => Assert.Equal(XtNatLayout.Range, t.Layout));
        Assert.All(ipv4.Concat(ipv6), t => Assert.Equal(t.Info.ToArray(), t.Encode()));
    }

    [Fact]
    public void Changing_flags_changes_only_the_flags_word()
    {
        foreach (var target in Targets("nft-iptables-nat-ipv4.hex", false).Concat(Targets("nft-iptables-nat-ipv6.hex", true)))
        {
            var changed = target.InfoWithFlags(target.Range.Flags | NatRangeFlags.ProtoRandomFully);
            int flagsAt = target.Layout == XtNatLayout.MultiRangeCompat ? 4 : 0;
            var differing = Enumerable.Range(0, changed.Length).Where(i => changed[i] != target.Info[i]).ToList();
            Assert.All(differing, i => Assert.InRange(i, flagsAt, flagsAt + 3));
            var again = XtNatTarget.TryDecode(target.Name, target.Revision, changed, target.IsIPv6)!;
            Assert.True(again.Range.RandomFully);
            Assert.Equal(target.Range with { Flags = again.Range.Flags }, again.Range);
        }
    }

    [Fact]
    public void A_blob_the_kernel_would_refuse_is_not_decoded()
    {
        var compat = new byte[24];
        compat[0] = 2; // rangesize 2: xt_nat_checkentry_v0 refuses it
        Assert.Null(XtNatTarget.TryDecode("SNAT", 0, compat, false));
        Assert.Null(XtNatTarget.TryDecode("SNAT", 3, new byte[48], false));
        Assert.Null(XtNatTarget.TryDecode("DNAT", 0, new byte[24], false));
    }

    private static List<XtNatTarget> LegacyTarget(string capture, LegacyTableLayout layout)
    {
        var buffers = Captures.Datagrams(capture);
        var table = LegacyTableReader.FromBuffers(layout, buffers[0], buffers[1]);
        return LegacyTableParser.Parse(table, out _).SelectMany(c => c.Rules).Select(e => e.Rule.NatTarget).OfType<XtNatTarget>().ToList();
    }
}
