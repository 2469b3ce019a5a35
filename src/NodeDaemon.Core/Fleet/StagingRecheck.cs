namespace NodeDaemon.Core.Fleet;

/// <summary>When a node refused a staging slot asks again: the recheck doubles with each refusal in a row, up to a cap.</summary>
/// <remarks>
/// A refused node learns of a slot handed to it from its watch at once (<see cref="IStagingSlotClient.WatchAsync"/>); the
/// recheck is only for what no watch shows: a holder that died and whose slot expired, or a slot freed while no waiting
/// node was in sight. At a fixed 30–60 s, the 480 waiting nodes of a 500-node pool with 20 staging slots made 61 Lease
/// lists per node (docs/benchmarks.md, "Bounded staging at 500"), nearly all of them answered "full", and the harness
/// running them starved. Doubling per refusal keeps the first rechecks as prompt as before and lets a long wait cost
/// a few lists; the cap bounds how long an expired slot can go unnoticed when no pull is left to hand it on.
/// </remarks>
public static class StagingRecheck
{
    /// <summary>The most doublings: the wait grows to at most 8 times the base recheck (4–8 min at the daemon's 30 s).</summary>
    public const int MaxDoublings = 3;

    /// <summary>The wait after the <paramref name="refusals"/>-th refusal in a row (1 for the first), before jitter: the
    /// base <paramref name="recheck"/> doubled once per earlier refusal, at most <see cref="MaxDoublings"/> times.</summary>
    public static TimeSpan Base(TimeSpan recheck, int refusals) =>
        recheck * (1 << Math.Clamp(refusals - 1, 0, MaxDoublings));

    /// <summary>The wait after the <paramref name="refusals"/>-th refusal in a row: <see cref="Base"/> times 1 to 2
    /// (<paramref name="jitter"/> in [0, 1)), so nodes refused together do not ask again together.</summary>
    public static TimeSpan Delay(TimeSpan recheck, int refusals, double jitter) =>
        Base(recheck, refusals) * (1 + Math.Clamp(jitter, 0, 1));
}
