using System.Net;
using System.Text;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Nftables;

/// <summary>Expressions built in code (what a writer sends) against the bytes the kernel holds for the same rule.</summary>
public sealed class BuiltExpressionTests
{
    [Fact]
    public void Dockers_masquerade_rule_built_in_code_is_the_rule_iptables_nft_wrote()
    {
        // -A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE, as iptables-nft 1.8.9 encodes it.
        var kernel = CapturedRules.From("nft-iptables-nat-ipv4.hex")[0];
        var built = new Expression[]
        {
            MetaExpression.Load(NftMetaKey.OifName, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Neq, Encoding.ASCII.GetBytes("docker0\0")),
            PayloadExpression.Load(NftPayloadBase.Network, 12, 2, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [198, 18]),
            new CounterExpression(packets: 0, bytes: 0),
            new TargetExpression(XtNatTarget.Masquerade, 0, XtNatTarget.Create(XtNatTarget.Masquerade, 0, XtNatLayout.MultiRangeCompat, new NatRange(NatRangeFlags.None, null, null, 0, 0), false).Encode()),
        };

        Assert.Equal(kernel.Expressions.Select(e => e.Name), built.Select(e => e.Name));
        Assert.Equal(kernel.Expressions.Select(e => e.Raw.ToArray()), built.Select(e => e.EncodeData()));
    }

    [Fact]
    public void A_native_snat_built_in_code_is_the_expression_nft_wrote()
    {
        // snat ip to 198.19.0.1-198.19.0.9:2000 random (inet table): immediates into registers 1-3, then nat.
        var kernel = CapturedRules.From("nft-native-nat.hex").SelectMany(r => r.Expressions).OfType<NatExpression>()
            .Single(n => n.Flags == (NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified | NatRangeFlags.ProtoRandom));
        var built = NatExpression.Create(NftaNat.TypeSnat, NfProto.IPv4, kernel.Flags, 1, 2, 3, 3);
        Assert.Equal(kernel.Raw.ToArray(), built.EncodeData());

        var immediate = new ImmediateExpression(1, NftData.FromValue(IPAddress.Parse("198.19.0.1").GetAddressBytes()));
        var kernelImmediate = CapturedRules.From("nft-native-nat.hex").SelectMany(r => r.Expressions).OfType<ImmediateExpression>()
            .First(i => i.Data.Value is { Length: 4 } v && v.SequenceEqual(IPAddress.Parse("198.19.0.1").GetAddressBytes()));
        Assert.Equal(kernelImmediate.Raw.ToArray(), immediate.EncodeData());

        var jump = new ImmediateExpression(NftRegister.Verdict, NftData.FromVerdict(new NftVerdict(NftVerdictCode.Jump, "masquerading")));
        var kernelJump = CapturedRules.From("nft-native-nat.hex").SelectMany(r => r.Expressions).OfType<ImmediateExpression>().Single(i => i.Verdict?.Chain == "masquerading");
        Assert.Equal(kernelJump.Raw.ToArray(), jump.EncodeData());
    }

    [Fact]
    public void Setting_random_fully_on_an_iptables_nft_rule_changes_only_the_targets_flags_word()
    {
        foreach (var rule in CapturedRules.From("nft-iptables-nat-ipv4.hex").Concat(CapturedRules.From("nft-iptables-nat-ipv6.hex")))
        {
            var target = rule.Expressions.OfType<TargetExpression>().Single();
            var xt = XtNatTarget.TryDecode(target.Extension, target.Revision, target.Info, rule.Family == NfProto.IPv6)!;
            var flags = xt.Range.Flags | NatRangeFlags.ProtoRandomFully;

            var rewritten = rule.ExpressionsWithNatFlags(flags);

            Assert.Equal(rule.Expressions.Count, rewritten.Count);
            for (int i = 0; i < rewritten.Count; i++)
            {
                if (rule.Expressions[i] is TargetExpression)
                {
                    var again = (TargetExpression)ExpressionRegistry.Decode("target", rewritten[i].EncodeData());
                    Assert.Equal(flags, XtNatTarget.TryDecode(again.Extension, again.Revision, again.Info, rule.Family == NfProto.IPv6)!.Range.Flags);
                    Assert.Equal(target.Info.Length, again.Info.Length);
                }
                else
                {
                    Assert.Same(rule.Expressions[i], rewritten[i]);
                }
            }
        }
    }

    [Fact]
    public void A_legacy_blob_with_new_flags_differs_in_four_bytes_and_reads_back_with_them()
    {
        var buffers = Captures.Datagrams("ipt-legacy-nat.hex");
        var table = LegacyTableReader.FromBuffers(LegacyTableLayout.IPv4, buffers[0], buffers[1]);
        var chains = LegacyTableParser.Parse(table, out _);
        var docker = chains.Single(c => c.Name == "POSTROUTING").Rules[0];

        var blob = table.WithNatFlags(docker.Offset, NatRangeFlags.ProtoRandomFully);

        var changed = Enumerable.Range(0, blob.Length).Where(i => blob[i] != table.Blob[i]).ToList();
        Assert.InRange(changed.Count, 1, 4);
        Assert.InRange(changed[^1] - changed[0], 0, 3);
        var reread = LegacyEntry.Decode(LegacyTableLayout.IPv4, blob, docker.Offset);
        Assert.True(reread.Rule.NatTarget!.Range.RandomFully);
        Assert.Equal("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully",
            IptablesSaveFormatter.Format("POSTROUTING", reread.Rule, new XtSaveContext(false, 0, null)));
    }
}
