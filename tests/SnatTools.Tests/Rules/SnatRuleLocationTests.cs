using SnatTools.Core;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Rules;

public sealed class SnatRuleLocationTests
{
    [Theory]
    [InlineData(null, 5ul, 2, true)]    // a handle: only nf_tables rules have one
    [InlineData(null, null, 2, false)]  // no handle: the position of a legacy rule
    [InlineData(SnatBackend.IptablesLegacy, 5ul, 2, false)]
    [InlineData(SnatBackend.IptablesNft, null, 2, true)]
    [InlineData(SnatBackend.Nftables, 5ul, null, true)]
    public void The_backend_or_else_the_handle_decides_how_a_rule_is_named(SnatBackend? backend, ulong? handle, int? position, bool byHandle) =>
        Assert.Equal(byHandle, new SnatRuleLocation("nat", "POSTROUTING", handle, position, null, backend).ByHandle);

    [Theory]
    [InlineData(null, null, null, "neither a handle")]
    [InlineData(SnatBackend.IptablesLegacy, 5ul, null, "no position")]
    [InlineData(SnatBackend.IptablesNft, null, 1, "no handle")]
    public void A_location_that_names_no_single_rule_is_refused_before_anything_is_read(SnatBackend? backend, ulong? handle, int? position, string says)
    {
        var location = new SnatRuleLocation("nat", "POSTROUTING", handle, position, null, backend);
        var refused = Assert.Throws<SnatToolsException>(() => location.Find("snattools-no-such-namespace-is-not-read"));
        Assert.Equal(ErrorIds.RuleLocationIncomplete, refused.ErrorId);
        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        Assert.Contains("table nat, chain POSTROUTING", refused.Message, StringComparison.Ordinal);
    }
}
