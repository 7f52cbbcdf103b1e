using Whetstone.Training.Reporting.Html;

namespace Whetstone.Training.Tests.Reporting;

public sealed class HtmlTextTests
{
    [Fact]
    public void Encode_escapes_markup_and_both_quotes_and_drops_control_characters()
    {
        Assert.Equal("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;", HtmlText.Encode("<a href=\"x\" title='y'>&</a>"));
        Assert.Equal("a\tb\nc", HtmlText.Encode("a\tb\r\nc\u0000\u001b"));
        Assert.Equal("", HtmlText.Encode(null));
    }

    [Fact]
    public void Slug_keeps_only_safe_id_characters()
    {
        Assert.Equal("grad-norm", HtmlText.Slug("grad_norm"));
        Assert.Equal("script-x", HtmlText.Slug("\"><script>x"));
        Assert.Equal("x", HtmlText.Slug("<>"));
    }
}
