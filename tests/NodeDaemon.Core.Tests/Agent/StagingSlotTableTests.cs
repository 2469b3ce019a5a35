using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The decider's staging slot rows (<c>fleet.maxStaging</c>), as a table like <see cref="DeciderTableTests"/>.</summary>
public sealed class StagingSlotTableTests
{
    /// <summary>One row: a named situation, the state it must lead to, and the one action.</summary>
    public sealed record Row(string Name, AgentInputs Inputs, AgentState State, AgentAction Action)
    {
        public override string ToString() => Name;
    }

    private static readonly NodeDaemonOptions s_bounded = new() { Fleet = new FleetOptions { Enabled = true, MaxStaging = "2" } };
    private static readonly NodeDaemonOptions s_percent = new() { Fleet = new FleetOptions { Enabled = true, MaxStaging = "4%" } };
    private static readonly NodeDaemonOptions s_unbounded = new() { Fleet = new FleetOptions { Enabled = true, MaxStaging = "0" } };
    private static readonly NodeDaemonOptions s_fleetOff = new() { Fleet = new FleetOptions { Enabled = false, MaxStaging = "2" } };

    private static AgentRecord Failed(int times) =>
        Enumerable.Range(0, times).Aggregate(Record(D2), (r, _) => r.WithStageFailure("registry down", Now, new StagingOptions()));

    private static AgentInputs Held(AgentInputs inputs) => inputs with { StagingSlotHeld = true };

    private static AgentInputs Refused(AgentInputs inputs, string digest, DateTimeOffset retryAt) =>
        inputs with { StagingRefusal = new StagingRefusal("waiting for a staging slot: all 2 pulls of the pool are under way", Key(digest), retryAt) };

    private static readonly Row[] s_rows =
    [
        // Before the pull.
        new("bounded, nothing staged: take a staging slot first", Inputs(desired: Pull(D2), options: s_bounded), AgentState.Staging, new AgentAction.AcquireStagingSlot(Key(D2))),
        new("bounded by a percentage: take a staging slot first", Inputs(desired: Pull(D2), options: s_percent), AgentState.Staging, new AgentAction.AcquireStagingSlot(Key(D2))),
        new("staging slot held: pull", Held(Inputs(desired: Pull(D2), options: s_bounded)), AgentState.Staging, StageOf(Pull(D2))),
        new("unbounded (0): pull without a slot", Inputs(desired: Pull(D2), options: s_unbounded), AgentState.Staging, StageOf(Pull(D2))),
        new("fleet off: pull without a slot", Inputs(desired: Pull(D2), options: s_fleetOff), AgentState.Staging, StageOf(Pull(D2))),
        new("no pool label: pull without a slot (nothing is disrupted before the label comes)", Inputs(desired: Pull(D2), options: s_bounded, pool: null), AgentState.Staging, StageOf(Pull(D2))),
        new("refused, recheck not due: wait", Refused(Inputs(desired: Pull(D2), options: s_bounded), D2, Now.AddSeconds(30)), AgentState.Staging, new AgentAction.Wait(Now.AddSeconds(30))),
        new("refused, recheck due: ask again", Refused(Inputs(desired: Pull(D2), options: s_bounded), D2, Now), AgentState.Staging, new AgentAction.AcquireStagingSlot(Key(D2))),
        new("a refusal for another image does not hold back", Refused(Inputs(desired: Pull(D2), options: s_bounded), D3, Now.AddSeconds(30)), AgentState.Staging, new AgentAction.AcquireStagingSlot(Key(D2))),
        new("already staged: no staging slot needed", Inputs(desired: Pull(D2), staged: Deployment(D2), record: Record(D2).WithStaged(Digest(D2)), options: s_bounded), AgentState.WaitingForSlot, new AgentAction.AcquireSlot(Digest(D2))),
        new("our cordon up (desired changed mid-drain): lift it before any staging slot", Inputs(desired: Pull(D2), cordonedByUs: true, options: s_bounded), AgentState.Staging, new AgentAction.Uncordon()),
        new("a disruption slot held: give it back before any staging slot", Inputs(desired: Pull(D2), slotHeld: true, options: s_bounded), AgentState.Staging, new AgentAction.ReleaseSlot()),
        new("in the stage backoff: no staging slot while waiting", Inputs(desired: Pull(D2), options: s_bounded, record: Failed(1)), AgentState.Staging, new AgentAction.Wait(Now + AgentRecord.StageDelay(1, new StagingOptions()))),

        // After the pull: the slot goes back first, whatever follows.
        new("staged, slot still held: give it back before the disruption slot", Held(Inputs(desired: Pull(D2), staged: Deployment(D2), record: Record(D2).WithStaged(Digest(D2)), options: s_bounded)), AgentState.WaitingForSlot, new AgentAction.ReleaseStagingSlot()),
        new("pull failed, backoff: give it back while waiting", Held(Inputs(desired: Pull(D2), options: s_bounded, record: Failed(1))), AgentState.Staging, new AgentAction.ReleaseStagingSlot()),
        new("pull failed for good: give it back before Degraded", Held(Inputs(desired: Pull(D2), options: s_bounded, record: Failed(new StagingOptions().MaxAttempts))), AgentState.Degraded, new AgentAction.ReleaseStagingSlot()),
        new("desired image removed mid-pull: give it back", Held(Inputs(options: s_bounded)), AgentState.Idle, new AgentAction.ReleaseStagingSlot()),
        new("already booted the desired image: give it back", Held(Inputs(desired: Pull(D1), options: s_bounded)), AgentState.Idle, new AgentAction.ReleaseStagingSlot()),
        new("staged, window closed: give it back, never held across the wait", Held(Inputs(desired: Pull(D2), staged: Deployment(D2), record: Record(D2).WithStaged(Digest(D2)), options: s_bounded, windowOpen: false)), AgentState.Staged, new AgentAction.ReleaseStagingSlot()),
        new("drained, about to finalize: give it back, never held across a reboot", Held(Inputs(desired: Pull(D2), staged: Deployment(D2), record: Record(D2).WithStaged(Digest(D2)).WithDrained(), cordonedByUs: true, slotHeld: true, slotDigest: D2, options: s_bounded)), AgentState.Rebooting, new AgentAction.ReleaseStagingSlot()),
    ];

    public static TheoryData<Row> Rows => new(s_rows);

    private static Core.Images.Digest Digest(string d) => Core.Images.Digest.Parse(d);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decides(Row row)
    {
        var decision = Decider.Decide(row.Inputs);

        Assert.Equal(row.Action, decision.Action);
        Assert.Equal(row.State, decision.State);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
    }

    [Fact]
    public void No_decision_pulls_without_a_staging_slot_when_pulls_are_bounded_and_the_node_is_in_a_pool()
    {
        var pulls = s_rows.Where(r => r.Inputs.Options.Fleet.StagingBounded && r.Inputs.Node.Pool is not null && Decider.Decide(r.Inputs).Action is AgentAction.Stage);

        Assert.All(pulls, r => Assert.True(r.Inputs.StagingSlotHeld, r.Name));
    }
}
