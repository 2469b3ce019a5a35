using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Tells a person what a run does as it happens (the demo); the tests use <see cref="Silent"/>.</summary>
public interface IScenarioNarrator
{
    /// <summary>Says nothing.</summary>
    static IScenarioNarrator Silent { get; } = new SilentNarrator();

    /// <summary>The run began.</summary>
    void Started(Scenario scenario);

    /// <summary>Something the runner did (an admin's annotation, a reboot, a kill).</summary>
    void Said(string line);

    /// <summary>The own node at one tick.</summary>
    void Observed(JsonObject node, ScenarioKeys keys);

    /// <summary>The run is over; the world still runs (so the daemon's own view can be shown).</summary>
    Task EndingAsync(ScenarioWorld world, ScenarioResult result);

    /// <summary>Says nothing.</summary>
    private sealed class SilentNarrator : IScenarioNarrator
    {
        public Task EndingAsync(ScenarioWorld world, ScenarioResult result) => Task.CompletedTask;

        public void Started(Scenario scenario)
        {
        }

        public void Said(string line)
        {
        }

        public void Observed(JsonObject node, ScenarioKeys keys)
        {
        }
    }
}
