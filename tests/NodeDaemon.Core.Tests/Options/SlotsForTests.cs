using CsCheck;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

public class SlotsForTests
{
    [Theory]
    [InlineData("1", 10, 1)]
    [InlineData("3", 10, 3)]
    [InlineData("3", 2, 2)]
    [InlineData("10%", 10, 1)]
    [InlineData("10%", 19, 1)]
    [InlineData("10%", 20, 2)]
    [InlineData("10%", 3, 1)]
    [InlineData("25%", 7, 1)]
    [InlineData("50%", 7, 3)]
    [InlineData("100%", 7, 7)]
    [InlineData("1%", 1, 1)]
    [InlineData("2", 0, 0)]
    [InlineData("50%", 0, 0)]
    public void Slots(string maxUnavailable, int poolSize, int expected) =>
        Assert.Equal(expected, new FleetOptions { MaxUnavailable = maxUnavailable }.SlotsFor(poolSize));

    [Fact]
    public void Negative_pool_size_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FleetOptions().SlotsFor(-1));

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    public void Invalid_value_throws(string maxUnavailable) =>
        Assert.Throws<InvalidOperationException>(() => new FleetOptions { MaxUnavailable = maxUnavailable }.SlotsFor(5));

    [Fact]
    public void A_non_empty_pool_always_gets_between_one_and_all_slots() =>
        Gen.Select(Gen.Int[1, 100], Gen.Bool, Gen.Int[1, 100_000]).Sample((amount, percent, poolSize) =>
        {
            var slots = new FleetOptions { MaxUnavailable = percent ? $"{amount}%" : $"{amount}" }.SlotsFor(poolSize);
            return slots >= 1 && slots <= poolSize;
        });
}
