using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using static NodeDaemon.Core.Tests.Agent.Build;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The shutdown-inhibitor wait: finalizing again at an interval, bounded by time, never by the reboot budget.</summary>
public sealed class DeciderInhibitorTableTests
{
    /// <summary>One row: a named situation, the state it must lead to, and the one action.</summary>
    public sealed record Row(string Name, AgentInputs Inputs, AgentState State, AgentAction Action)
    {
        public override string ToString() => Name;
    }

    private const string Refusal = "Reboot blocked by a systemd inhibitor lock in `block` mode; Held by: backup.service; Reason: Nightly backup";
    private static readonly TimeSpan s_wait = NodeDaemonOptionsDefaults.RebootInhibitorWait;
    private static readonly TimeSpan s_retry = NodeDaemonOptionsDefaults.RebootInhibitorRetry;

    /// <summary>Our notes after <paramref name="attempts"/> request(s) refused by an inhibitor since <paramref name="since"/>, the last at <paramref name="at"/>.</summary>
    private static AgentRecord Inhibited(int attempts, DateTimeOffset since, DateTimeOffset at, string bootId = BootId) =>
        Record(D2).WithStaged(Digest.Parse(D2)) with
        {
            Reboot = new RebootRequest(attempts, bootId, at, Accepted: false, Refusal, InhibitedSince: since),
        };

    private static AgentInputs Waiting(AgentRecord record, bool cordonedByUs = true, bool unschedulable = false, bool paused = false,
        string? staged = null, string bootId = BootId, TimeSpan? monotonic = null) =>
        Inputs(desired: Pull(D2), staged: Deployment(staged ?? D2), cordonedByUs: cordonedByUs, unschedulable: unschedulable, paused: paused,
            record: record, bootId: bootId, monotonic: monotonic);

    /// <summary>The boot's monotonic clock now, in the rows that step the wall clock: an hour into the boot.</summary>
    private static readonly TimeSpan s_uptime = TimeSpan.FromHours(1);

    /// <summary>Notes of a wait that began <paramref name="inhibitedAgo"/> and was last asked <paramref name="askedAgo"/> on the
    /// boot's clock, while the wall clock has since stepped by <paramref name="step"/> (positive: forward).</summary>
    private static AgentRecord SteppedWait(TimeSpan inhibitedAgo, TimeSpan askedAgo, TimeSpan step) =>
        Record(D2).WithStaged(Digest.Parse(D2)) with
        {
            Reboot = new RebootRequest(1, BootId, Now - step - askedAgo, Accepted: false, Refusal, InhibitedSince: Now - step - inhibitedAgo,
                Monotonic: s_uptime - askedAgo, InhibitedMonotonic: s_uptime - inhibitedAgo),
        };

    private static readonly Row[] s_rows =
    [
        new("just refused: wait for the retry interval, the holder named",
            Waiting(Inhibited(1, Now, Now)), AgentState.Rebooting, new AgentAction.Wait(Now + s_retry)),
        new("retry interval over: finalize again, no new drain",
            Waiting(Inhibited(1, Now - s_retry, Now - s_retry)), AgentState.Rebooting, new AgentAction.Finalize(Digest.Parse(D2))),
        new("the budget of reboots is not what bounds it",
            Waiting(Inhibited(2, Now - s_retry, Now - s_retry)), AgentState.Rebooting, new AgentAction.Finalize(Digest.Parse(D2))),
        new("under an admin's cordon, drained by us: finalize again",
            Waiting(Inhibited(1, Now - s_retry, Now - s_retry), cordonedByUs: false, unschedulable: true), AgentState.Rebooting, new AgentAction.Finalize(Digest.Parse(D2))),
        new("the retry never waits past the bound",
            Waiting(Inhibited(1, Now - s_wait + TimeSpan.FromSeconds(5), Now)), AgentState.Rebooting, new AgentAction.Wait(Now + TimeSpan.FromSeconds(5))),
        new("past the bound: Degraded with the inhibitor's words",
            Waiting(Inhibited(1, Now - s_wait, Now - s_retry)), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"gave up on {Pull(D2)}: a shutdown inhibitor kept the host from finalizing for {(int)s_wait.TotalSeconds} s (reboot.inhibitorWaitSeconds): {Refusal}", AgentState.Rebooting))),
        new("cordon lifted meanwhile: cordon and drain again first",
            Waiting(Inhibited(1, Now - s_retry, Now - s_retry), cordonedByUs: false), AgentState.Draining, new AgentAction.Cordon()),
        new("paused meanwhile: our cordon is given back",
            Waiting(Inhibited(1, Now, Now), paused: true), AgentState.Paused, new AgentAction.Uncordon()),
        new("the stage was replaced meanwhile: never finalize it, stage ours again",
            Waiting(Inhibited(1, Now - s_retry, Now - s_retry), staged: D3), AgentState.Staging, new AgentAction.Uncordon()),
        new("wall clock stepped back an hour just after a refusal: the retry is still due on the boot's clock",
            Waiting(SteppedWait(s_retry, s_retry, -TimeSpan.FromHours(1)), monotonic: s_uptime), AgentState.Rebooting, new AgentAction.Finalize(Digest.Parse(D2))),
        new("wall clock stepped back an hour: the wait still ends at its bound on the boot's clock",
            Waiting(SteppedWait(s_wait, s_retry, -TimeSpan.FromHours(1)), monotonic: s_uptime), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"gave up on {Pull(D2)}: a shutdown inhibitor kept the host from finalizing for {(int)s_wait.TotalSeconds} s (reboot.inhibitorWaitSeconds): {Refusal}", AgentState.Rebooting))),
        new("wall clock stepped forward a day: the wait is not cut short",
            Waiting(SteppedWait(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromDays(1)), monotonic: s_uptime), AgentState.Rebooting,
            new AgentAction.Wait(Now + s_retry - TimeSpan.FromSeconds(5))),
        new("another boot: not an inhibitor wait any more (the old image came back)",
            Waiting(Inhibited(2, Now - s_retry, Now - s_retry, bootId: "boot-0")), AgentState.Degraded,
            new AgentAction.RecordFailure(new($"gave up on {Pull(D2)} after 2 reboot(s): the host booted {Pull(D1)} instead (the staged deployment was lost or finalization failed)", AgentState.Rebooting))),
    ];

    /// <summary>The rows, by name.</summary>
    public static TheoryData<string> Names() => [.. s_rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Decides(string name)
    {
        var row = s_rows.Single(r => r.Name == name);

        var decision = Decider.Decide(row.Inputs);

        Assert.Equal(row.State, decision.State);
        Assert.Equal(row.Action, decision.Action);
    }

    [Fact]
    public void The_wait_names_the_holder_and_the_bound()
    {
        var decision = Decider.Decide(Waiting(Inhibited(1, Now, Now)));

        Assert.Equal($"waiting for a shutdown inhibitor (until {Now + s_wait:u}): {Refusal}", decision.Message);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void A_retry_keeps_the_attempt_and_the_start_of_the_wait()
    {
        var first = Record(D2).WithRebootRequested(BootId, Now).WithRebootInhibited(Refusal, Now);
        var again = first.WithRebootRequested(BootId, Now + s_retry).WithRebootInhibited(Refusal, Now + s_retry);

        Assert.Equal(new RebootRequest(1, BootId, Now + s_retry, Accepted: false, Refusal, InhibitedSince: Now), again.Reboot);
        var timed = Record(D2).WithRebootRequested(BootId, Now, s_uptime).WithRebootInhibited(Refusal, Now, s_uptime)
            .WithRebootRequested(BootId, Now + s_retry, s_uptime + s_retry).WithRebootInhibited(Refusal, Now + s_retry, s_uptime + s_retry);
        Assert.Equal(s_uptime, timed.Reboot!.InhibitedMonotonic);
        Assert.Null(timed.WithRebootAccepted().Reboot!.InhibitedMonotonic);
        Assert.Equal(2, again.WithRebootAccepted().WithRebootRequested("boot-2", Now).Reboot!.Attempts);
    }
}
