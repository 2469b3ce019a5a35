using NodeDaemon.Core.Agent;
using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>When the idle trim runs: one row per rule (idle only, after the idle delay, not more often than the interval,
/// once per turn, never while a turn runs or during an update).</summary>
public sealed class IdleTrimRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 20, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, double, bool, AgentState, double?, bool, double?, bool, double?> Rows => new()
    {
        // name, now (s), turn running, state, last turn ended (s), trimmed since, last trim (s), trim?, due (s)
        { "idle, delay passed, never trimmed", 2, false, AgentState.Idle, 0, false, null, true, null },
        { "idle, delay not passed yet", 1, false, AgentState.Idle, 0, false, null, false, 2 },
        { "paused counts as idle", 5, false, AgentState.Paused, 0, false, null, true, null },
        { "degraded counts as idle", 5, false, AgentState.Degraded, 0, false, null, true, null },
        { "a turn is running", 5, true, AgentState.Idle, 0, false, null, false, null },
        { "no turn has ended yet", 5, false, AgentState.Starting, null, false, null, false, null },
        { "already trimmed after this turn", 9, false, AgentState.Idle, 0, true, 2, false, null },
        { "last trim too recent: wait for the interval", 12, false, AgentState.Idle, 10, false, 5, false, 25 },
        { "interval passed after the delay", 25, false, AgentState.Idle, 10, false, 5, true, null },
        { "interval long passed: the delay decides", 31, false, AgentState.Idle, 30, false, 5, false, 32 },
        { "starting", 5, false, AgentState.Starting, 0, false, null, false, null },
        { "staging", 5, false, AgentState.Staging, 0, false, null, false, null },
        { "staged (waiting for the window)", 5, false, AgentState.Staged, 0, false, null, false, null },
        { "waiting for a slot", 5, false, AgentState.WaitingForSlot, 0, false, null, false, null },
        { "draining", 5, false, AgentState.Draining, 0, false, null, false, null },
        { "rebooting", 5, false, AgentState.Rebooting, 0, false, null, false, null },
        { "verifying", 5, false, AgentState.Verifying, 0, false, null, false, null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decides(string name, double now, bool turnRunning, AgentState state, double? lastTurnEnded, bool trimmedSinceTurn, double? lastTrim,
        bool trim, double? due)
    {
        var decision = IdleTrimRule.Decide(new IdleTrimInputs(At(now)!.Value, turnRunning, state, At(lastTurnEnded), trimmedSinceTurn, At(lastTrim)));

        Assert.True(trim == decision.Trim, name);
        Assert.Equal(At(due), decision.Due);
    }

    [Fact]
    public void Every_state_is_either_idle_or_an_update_in_progress_and_only_three_are_idle()
    {
        var idle = Enum.GetValues<AgentState>().Where(IdleTrimRule.Idle).ToArray();

        Assert.Equal([AgentState.Idle, AgentState.Paused, AgentState.Degraded], idle);
    }

    private static DateTimeOffset? At(double? seconds) => seconds is { } s ? T0.AddSeconds(s) : null;
}
