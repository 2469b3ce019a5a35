using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Sim.Tests.Scenarios;

/// <summary>A trigger holds when every condition it names holds.</summary>
public sealed class ScenarioTriggerTests
{
    private static readonly RunSnapshot s_now = new("Draining", "Working", 1, 2, new HashSet<string> { "transaction-started", "transaction-started:Rebase" });

    [Fact]
    public void An_empty_trigger_holds_at_once() => Assert.True(new ScenarioTrigger().Holds(s_now));

    [Theory]
    [InlineData("Draining", null, null, null, null, true)]
    [InlineData("Staging", null, null, null, null, false)]
    [InlineData("Draining", "Working", 1, 2, "transaction-started:Rebase", true)]
    [InlineData(null, null, 0, null, null, false)]
    [InlineData(null, null, null, 3, null, false)]
    [InlineData(null, null, null, null, "reboot-requested", false)]
    [InlineData(null, "Done", null, null, null, false)]
    public void Every_named_condition_must_hold(string? phase, string? state, int? boot, int? evictions, string? hostEvent, bool holds) =>
        Assert.Equal(holds, new ScenarioTrigger { Phase = phase, State = state, Boot = boot, Evictions = evictions, HostEvent = hostEvent }.Holds(s_now));
}
