using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Narrates a run for a person: each new phase and message of the node as one line, stamped with the run time.</summary>
public sealed class ConsoleNarrator(TextWriter output) : IScenarioNarrator
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private string? _phase;
    private string? _message;
    private bool _unschedulable;

    /// <inheritdoc />
    public void Started(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Line($"scenario {scenario.Name}: {scenario.Description}");
    }

    /// <inheritdoc />
    public void Said(string line) => Line(line);

    /// <inheritdoc />
    public void Observed(JsonObject node, string prefix)
    {
        ArgumentNullException.ThrowIfNull(node);
        var annotations = node["metadata"]?["annotations"];
        var phase = (string?)annotations?[prefix + "phase"];
        var message = (string?)annotations?[prefix + "message"];
        var unschedulable = (bool?)node["spec"]?["unschedulable"] ?? false;
        if (unschedulable != _unschedulable)
        {
            _unschedulable = unschedulable;
            Line(unschedulable ? "node: cordoned (spec.unschedulable=true)" : "node: uncordoned");
        }

        if (phase == _phase && message == _message)
        {
            return;
        }

        if (phase != _phase)
        {
            Line($"phase {phase}: {message}");
        }
        else
        {
            Line($"      {message}");
        }

        _phase = phase;
        _message = message;
    }

    private void Line(string text) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {text}");
}
