using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

/// <summary><c>fleet.maxStaging</c>: its validation, and the staging slots it gives a pool (0: unbounded).</summary>
public class StagingSlotsForTests
{
    [Theory]
    [InlineData("0", 500, 0)]
    [InlineData("0%", 500, 0)]
    [InlineData("20", 500, 20)]
    [InlineData("20", 5, 20)]
    [InlineData("4%", 500, 20)]
    [InlineData("4%", 10, 1)]
    [InlineData("100%", 7, 7)]
    public void Slots(string maxStaging, int poolSize, int expected) =>
        Assert.Equal(expected, new FleetOptions { MaxStaging = maxStaging }.StagingSlotsFor(poolSize));

    [Theory]
    [InlineData("0", true, false)]
    [InlineData("2", true, true)]
    [InlineData("4%", true, true)]
    [InlineData("2", false, false)]
    public void Bounded_only_with_the_fleet_on_and_a_limit(string maxStaging, bool enabled, bool bounded) =>
        Assert.Equal(bounded, new FleetOptions { Enabled = enabled, MaxStaging = maxStaging }.StagingBounded);

    [Theory]
    [InlineData("0", true)]
    [InlineData("20", true)]
    [InlineData("0%", true)]
    [InlineData("100%", true)]
    [InlineData("101%", false)]
    [InlineData("-1", false)]
    [InlineData("", false)]
    [InlineData("two", false)]
    public void Validated_at_start(string value, bool valid)
    {
        var problems = new NodeDaemonOptions { NodeName = "node-a", Fleet = new() { MaxStaging = value } }.Validate();

        Assert.Equal(valid, !problems.Any(p => p.StartsWith("fleet.maxStaging must be 0 (unbounded)", StringComparison.Ordinal)));
    }
}
