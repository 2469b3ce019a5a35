using NodeDaemon.Sim.Fleet;

namespace NodeDaemon.Sim.Tests.Fleet;

/// <summary>The blast radius of an image, read from the hosts' boot histories.</summary>
public sealed class BlastRadiusTests
{
    [Theory]
    [InlineData("old", 0, 0, 0)]
    [InlineData("old,old", 0, 0, 0)]
    [InlineData("old,bad", 1, 0, 1)]
    [InlineData("old,bad,old", 1, 1, 0)]
    [InlineData("old,bad,bad", 1, 0, 1)]
    [InlineData("old,bad,old,bad", 1, 1, 1)]
    [InlineData("old,bad,old;old,bad;old", 2, 1, 1)]
    public void Counts_nodes_that_booted_it_rolled_back_from_it_and_stayed_on_it(string histories, int booted, int rolledBack, int still)
    {
        var parsed = histories.Split(';').Select(h => (IReadOnlyList<string>)h.Split(',')).ToList();

        Assert.Equal(new BlastRadius(booted, rolledBack, still), BlastRadius.Of(parsed, "bad"));
    }
}
