using SnatTools.Core.Audit;

namespace SnatTools.Tests.Audit;

public sealed class SnatAuditResultTests
{
    private static SnatAuditCheck Check(string name, string result, string? message = null) => new(name, result, message, TimeSpan.FromMilliseconds(5));

    private static SnatAuditResult Result(params SnatAuditCheck[] checks) =>
        new("node1", "web", checks, TimeSpan.FromSeconds(3), "/tmp/audit.xml", DateTimeOffset.UnixEpoch);

    [Fact]
    public void One_failed_check_fails_the_target_and_is_listed_with_its_message()
    {
        var result = Result(
            Check("rules have random-fully", SnatAuditOutcome.Failed, "1 rule lacks random-fully. Fix: Set-SnatRule -RandomFully"),
            Check("insert_failed did not grow", SnatAuditOutcome.Passed),
            Check("port usage", SnatAuditOutcome.Skipped, "is skipped, because Get-SnatPortUsage is not in this version"));

        Assert.Equal(SnatAuditOutcome.Failed, result.Result);
        Assert.Equal((1, 1, 1), (result.PassedCount, result.FailedCount, result.SkippedCount));
        var failure = Assert.Single(result.Failures);
        Assert.Equal("rules have random-fully", failure.Name);
        Assert.Contains("Fix: Set-SnatRule -RandomFully", failure.Message, StringComparison.Ordinal);
        Assert.Equal("node1/web: Failed (1 passed, 1 failed, 1 skipped)", result.ToString());
    }

    [Fact]
    public void Skipped_checks_do_not_fail_a_target_whose_other_checks_pass()
    {
        var result = Result(Check("a", SnatAuditOutcome.Passed), Check("b", SnatAuditOutcome.Skipped, "skipped"));
        Assert.Equal(SnatAuditOutcome.Passed, result.Result);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void A_target_where_no_check_passed_failed_even_without_a_failed_check()
    {
        // Nothing could be verified (every check skipped or not run): that is not a clean bill of health.
        Assert.Equal(SnatAuditOutcome.Failed, Result(Check("a", SnatAuditOutcome.Skipped, "skipped"), Check("b", SnatAuditOutcome.NotRun)).Result);
        Assert.Equal(SnatAuditOutcome.Failed, Result().Result);
    }

    [Theory]
    [InlineData("Passed", "Passed")]
    [InlineData("failed", "Failed")]
    [InlineData("Skipped", "Skipped")]
    [InlineData("Inconclusive", "Inconclusive")]
    [InlineData("NotRun", "NotRun")]
    [InlineData("SomethingNew", "NotRun")]
    [InlineData(null, "NotRun")]
    public void Pester_result_names_map_to_the_outcomes(string? pester, string expected) =>
        Assert.Equal(expected, SnatAuditOutcome.Parse(pester));
}
