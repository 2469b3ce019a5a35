using CsCheck;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

public class ValueTextTests
{
    [Fact]
    public void Long_values_are_cut_and_their_length_named()
    {
        var quoted = ValueText.Quote(new string('x', 5000));

        Assert.Equal($"\"{new string('x', 100)}\"... (5000 characters)", quoted);
    }

    [Fact]
    public void Quoted_values_are_one_bounded_line() =>
        Gen.String.Sample(s =>
        {
            var quoted = ValueText.Quote(s);
            return !quoted.Contains('\n', StringComparison.Ordinal)
                && !quoted.Contains('\r', StringComparison.Ordinal)
                && quoted.Length <= (6 * ValueText.MaxEchoed) + 40;
        });
}
