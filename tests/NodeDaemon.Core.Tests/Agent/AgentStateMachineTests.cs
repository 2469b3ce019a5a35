using NodeDaemon.Core.Agent;

namespace NodeDaemon.Core.Tests.Agent;

/// <summary>The state machine: any resume point from Starting, only the flow's transitions after that.</summary>
public sealed class AgentStateMachineTests
{
    [Fact]
    public void Starts_in_Starting_and_may_resume_anywhere()
    {
        foreach (var state in Enum.GetValues<AgentState>())
        {
            var machine = new AgentStateMachine();
            Assert.Equal(AgentState.Starting, machine.Current);

            machine.TransitionTo(state);

            Assert.Equal(state, machine.Current);
        }
    }

    [Theory]
    [InlineData(AgentState.Idle, AgentState.Staging)]
    [InlineData(AgentState.Staging, AgentState.Draining)]
    [InlineData(AgentState.Staged, AgentState.WaitingForSlot)]
    [InlineData(AgentState.WaitingForSlot, AgentState.Draining)]
    [InlineData(AgentState.Draining, AgentState.Rebooting)]
    [InlineData(AgentState.Draining, AgentState.WaitingForSlot)]
    [InlineData(AgentState.Draining, AgentState.Degraded)]
    [InlineData(AgentState.Rebooting, AgentState.Degraded)]
    [InlineData(AgentState.Verifying, AgentState.Idle)]
    [InlineData(AgentState.Degraded, AgentState.Staging)]
    [InlineData(AgentState.Degraded, AgentState.Draining)]   // held on unwritable notes, and they can be written again
    [InlineData(AgentState.Paused, AgentState.Draining)]
    public void Allows_the_flow(AgentState from, AgentState to)
    {
        var machine = new AgentStateMachine();
        machine.TransitionTo(from);

        Assert.True(machine.TransitionTo(to) || from == to);
        Assert.Equal(to, machine.Current);
    }

    [Theory]
    [InlineData(AgentState.Idle, AgentState.Rebooting)]
    [InlineData(AgentState.Staging, AgentState.Rebooting)]
    [InlineData(AgentState.Staged, AgentState.Rebooting)]
    [InlineData(AgentState.WaitingForSlot, AgentState.Rebooting)]
    [InlineData(AgentState.Paused, AgentState.Rebooting)]
    [InlineData(AgentState.Draining, AgentState.Verifying)]
    [InlineData(AgentState.Idle, AgentState.Verifying)]
    [InlineData(AgentState.Degraded, AgentState.Rebooting)]
    [InlineData(AgentState.Idle, AgentState.Starting)]
    public void Refuses_shortcuts_past_the_drain_or_into_a_reboot(AgentState from, AgentState to)
    {
        var machine = new AgentStateMachine();
        machine.TransitionTo(from);

        var error = Assert.Throws<IllegalTransitionException>(() => machine.TransitionTo(to));

        Assert.Equal(from, error.From);
        Assert.Equal(to, error.To);
        Assert.Equal(from, machine.Current);
    }

    [Fact]
    public void Only_Draining_and_Starting_lead_into_Rebooting()
    {
        var into = Enum.GetValues<AgentState>()
            .Where(s => s != AgentState.Rebooting && AgentStateMachine.IsAllowed(s, AgentState.Rebooting));

        Assert.Equal([AgentState.Starting, AgentState.Draining], into.Order());
    }

    [Fact]
    public void Reports_whether_the_state_changed()
    {
        var machine = new AgentStateMachine();

        Assert.True(machine.TransitionTo(AgentState.Idle));
        Assert.False(machine.TransitionTo(AgentState.Idle));
    }
}
