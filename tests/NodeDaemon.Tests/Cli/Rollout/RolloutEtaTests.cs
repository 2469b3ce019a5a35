using NodeDaemon.Cli.Rollout;

namespace NodeDaemon.Tests.Cli.Rollout;

/// <summary>The ETA as a table: nodes still to go, slots, the holds observed in this rollout and the holders' time so far, in minutes.</summary>
public sealed class RolloutEtaTests
{
    public static TheoryData<string, int, int, double[], double[], double?> Rows => new()
    {
        { "nothing observed yet: no pace to go by", 4, 2, [], [3], null },
        { "nothing left to go: done", 0, 2, [], [], 0 },
        { "one slot, 3 to go at 10 min each", 3, 1, [10], [], 30 },
        { "two slots share 4 nodes: two rounds", 4, 2, [10], [], 20 },
        { "two slots, 3 nodes: the third waits for a slot", 3, 2, [10], [], 20 },
        { "the median, not the mean: one slow node does not drag it", 1, 1, [4, 5, 60], [], 5 },
        { "an even count takes the middle two's mean", 1, 1, [4, 6, 8, 100], [], 7 },
        { "a holder 4 min into a 10 min hold frees its slot in 6", 1, 1, [10], [4], 16 },
        { "holders only: the last of them", 0, 2, [10], [2, 7], 8 },
        { "a holder past the typical hold is taken to be about to finish", 1, 1, [10], [25], 10 },
        { "a free slot and a busy one: the next node goes now", 1, 2, [10], [1], 10 },
        { "more holders than slots (maxUnavailable lowered): each still finishes", 2, 1, [10], [5, 5], 15 },
        { "no slot count: one at a time", 2, 0, [10], [], 20 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_eta_is_the_time_the_slots_need_at_this_rollouts_typical_hold(string why, int waiting, int slots, double[] observed,
        double[] inFlight, double? minutes)
    {
        var eta = RolloutEta.Estimate(waiting, slots, [.. observed.Select(TimeSpan.FromMinutes)], [.. inFlight.Select(TimeSpan.FromMinutes)]);
        Assert.True(minutes == eta?.TotalMinutes, $"{why}: {eta}");
    }
}
