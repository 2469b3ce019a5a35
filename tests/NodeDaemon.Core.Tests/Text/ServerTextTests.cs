using NodeDaemon.Core.Text;

namespace NodeDaemon.Core.Tests.Text;

/// <summary>Server text is redacted, made printable and bounded before anyone sees it.</summary>
public sealed class ServerTextTests
{
    [Theory]
    [InlineData("Authorization: Bearer eyJhbGciOi.secret.sig rejected", "Authorization: [redacted] rejected")]
    [InlineData("request had header authorization=Basic dXNlcjpwYXNz", "request had header authorization=[redacted]")]
    [InlineData("token bearer abc.def.ghi expired", "token bearer [redacted] expired")]
    [InlineData("{\"Authorization\":\"Bearer sekret\"}", "{\"Authorization\":\"[redacted]\"}")]
    [InlineData("bad \"password\": \"hunter2\", sorry", "bad \"password\": \"[redacted]\", sorry")]
    public void Credentials_are_redacted(string text, string expected)
    {
        Assert.Equal(expected, ServerText.Clean(text));
    }

    [Fact]
    public void Control_and_format_characters_become_spaces()
    {
        Assert.Equal("a b c d e   f", ServerText.Clean("a\nb\rc\u001bd\u202ee\u0085\u2028\u0000f"));
    }

    [Fact]
    public void A_lone_surrogate_becomes_a_replacement_character_and_pairs_stay()
    {
        Assert.Equal("x\uFFFDy \U0001F600", ServerText.Clean("x\ud800y \U0001F600"));
    }

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis_never_inside_a_pair()
    {
        var cut = ServerText.Clean(string.Concat(Enumerable.Repeat("\U0001F600", 1000)), 10);

        Assert.Equal(string.Concat(Enumerable.Repeat("\U0001F600", 9)) + "…", cut);
    }

    [Fact]
    public void Plain_text_is_kept()
    {
        Assert.Equal("nodes \"worker-1\" is forbidden: User cannot patch", ServerText.Clean("nodes \"worker-1\" is forbidden: User cannot patch"));
    }
}
