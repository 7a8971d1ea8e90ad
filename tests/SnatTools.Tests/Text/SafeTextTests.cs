using SnatTools.Core;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Text;

public sealed class SafeTextTests
{
    [Fact]
    public void The_terminal_attack_of_issue_12_is_shown_as_escapes()
    {
        const string comment = "evil\u001b]0;pwned\u0007\u001b[2J\u0001end";
        Assert.Equal(@"evil\x1b]0;pwned\x07\x1b[2J\x01end", SafeText.Escape(comment));
        Assert.False(SafeText.IsSafe(comment));
    }

    [Theory]
    [InlineData("\u0000", @"\x00")]
    [InlineData("\r", @"\x0d")]
    [InlineData("\u007f", @"\x7f")]
    [InlineData("\u009b2J", @"\x9b2J")]                   // C1 CSI: some terminals take it as ESC [
    [InlineData("abc\u202Efdp.exe", @"abc\u202efdp.exe")] // right-to-left override
    [InlineData("\u2066x\u2069", @"\u2066x\u2069")]
    [InlineData("a\u2028b", @"a\u2028b")]
    [InlineData("\uffff", @"\uffff")]
    public void Every_control_character_is_escaped(string text, string shown) =>
        Assert.Equal(shown, SafeText.Escape(text));

    [Fact]
    public void A_lone_surrogate_is_escaped_and_a_pair_kept()
    {
        // Built here: xunit's attribute data cannot carry a lone surrogate.
        string lone = new(['a', (char)0xd800, 'b', (char)0xdc00]);
        Assert.Equal(@"a\ud800b\udc00", SafeText.Escape(lone));
        Assert.Equal("😀", SafeText.Escape("😀"));
    }

    [Theory]
    [InlineData("-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE")]
    [InlineData("ip saddr 198.18.0.0/15 masquerade comment \"naïve – ok\"")]
    [InlineData("emoji 😀 (a surrogate pair) and 中文")]
    [InlineData("back\\slash and \\x1b written out")]
    [InlineData("")]
    public void Ordinary_text_is_returned_as_it_is_the_same_instance(string text)
    {
        Assert.True(SafeText.IsSafe(text));
        Assert.Same(text, SafeText.Escape(text));
    }

    [Fact]
    public void Messages_keep_their_line_breaks_and_tabs_but_nothing_else()
    {
        Assert.Equal("line 1\n\tline 2 \\x1b[2J", SafeText.Escape("line 1\n\tline 2 \u001b[2J", keepLineBreaks: true));
        Assert.Equal(@"line 1\x0a\x09line 2", SafeText.Escape("line 1\n\tline 2"));
        Assert.Equal(string.Empty, SafeText.Escape(null));
    }

    [Fact]
    public void Escaped_text_is_always_valid_xml_and_free_of_controls()
    {
        var all = new string(Enumerable.Range(0, 0x10000).Select(c => (char)c).ToArray());
        string shown = SafeText.Escape(all);
        Assert.True(SafeText.IsSafe(shown));
        Assert.DoesNotContain(shown, char.IsControl);
        _ = System.Xml.XmlConvert.VerifyXmlChars(shown); // throws on any character XML 1.0 forbids
    }

    [Fact]
    public void An_error_message_quoting_kernel_text_is_escaped_and_its_target_kept_raw()
    {
        const string chain = "EV\u001b[2JIL";
        var error = new SnatToolsException(ErrorIds.RuleNotFound, ErrorKind.ObjectNotFound, $"no rule in chain {chain}\nsecond line", chain);
        Assert.Equal("no rule in chain EV\\x1b[2JIL\nsecond line", error.Message);
        Assert.Same(chain, error.Target);
    }

    [Fact]
    public void A_rule_keeps_its_text_raw_and_shows_it_escaped()
    {
        const string text = "-A POSTROUTING -m comment --comment \"a\u001b[2Jb\" -j MASQUERADE";
        var rule = new SnatRule
        {
            Backend = SnatBackend.IptablesNft,
            Family = SnatFamily.IPv4,
            Table = "nat",
            Chain = "POSTROUTING",
            Position = 1,
            Action = SnatAction.Masquerade,
            Flags = NatRangeFlags.None,
            Matches = "-m comment --comment \"a\u001b[2Jb\"",
            Owner = SnatOwner.Unknown,
            Text = text,
            Unknown = [],
            Locator = null!,
        };

        Assert.Same(text, rule.Text);
        Assert.Equal("-A POSTROUTING -m comment --comment \"a\\x1b[2Jb\" -j MASQUERADE", rule.ToString());
    }
}
