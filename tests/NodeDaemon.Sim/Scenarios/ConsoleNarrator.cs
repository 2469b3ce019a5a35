using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Narrates a run for a person: each new phase and message of the node as it happens, a bar while the image
/// downloads, then the node's annotations, <c>nodedaemon status</c> and the run's numbers.</summary>
public sealed partial class ConsoleNarrator(TextWriter output) : IScenarioNarrator
{
    private const int BarWidth = 30;
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
    public void Observed(JsonObject node, ScenarioKeys keys)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(keys);
        var annotations = node["metadata"]?["annotations"];
        var phase = (string?)annotations?[keys.Phase];
        var message = (string?)annotations?[keys.Message];
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

        Line(phase != _phase ? $"phase {phase}: {message}" : $"    {Bar(message) ?? message}");
        _phase = phase;
        _message = message;
    }

    /// <inheritdoc />
    public Task EndingAsync(ScenarioWorld world, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(result);
        var document = result.Document;
        output.WriteLine();
        output.WriteLine("the node's annotations:");
        foreach (var (key, value) in document["node"]!["annotations"]!.AsObject().OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {key} = {value}");
        }

        output.WriteLine($"  spec.unschedulable = {document["node"]!["unschedulable"]}");
        output.WriteLine();
        output.WriteLine("$ nodedaemon status");
        output.WriteLine(world.RunDaemonVerb("status").TrimEnd());
        var m = document["measurements"]!;
        output.WriteLine();
        output.WriteLine($"reboots {document["reboots"]}, pods evicted {document["evictions"]!.AsArray().Count}, budget violations {document["budgetViolations"]}; " +
            $"desired-image → rebase started {m["reactionMs"]} ms; pulling {m["pullingMs"]} ms, cordoned {m["cordonedMs"]} ms, " +
            $"pulled while cordoned: {((bool)m["pullingWhileCordoned"]! ? "yes" : "no")}; daemon RSS {m["daemonRssMb"]} MB " +
            $"({IdleSample.AfterReady.TotalSeconds:0} s after its last READY=1, once its start-up release has run)");
        output.WriteLine(result.Passed ? "every expectation held" : "FAILED: " + string.Join("; ", result.Failures));
        return Task.CompletedTask;
    }

    // "pulling 3/5 layers, 120 MB/540 MB" → a bar over the bytes (or the layers when no size is known).
    private static string? Bar(string? message)
    {
        var match = message is null ? null : PullProgress().Match(message);
        if (match is not { Success: true })
        {
            return null;
        }

        var (done, total) = match.Groups["total"].Success
            ? (Bytes(match.Groups["done"].Value), Bytes(match.Groups["total"].Value))
            : (double.Parse(match.Groups["layers"].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups["of"].Value, CultureInfo.InvariantCulture));
        var filled = total > 0 ? (int)Math.Round(Math.Clamp(done / total, 0, 1) * BarWidth) : 0;
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {message}";
    }

    private static double Bytes(string text)
    {
        var parts = text.Split(' ');
        var factor = parts[1] switch { "GB" => 1e9, "MB" => 1e6, "kB" => 1e3, _ => 1 };
        return double.Parse(parts[0], CultureInfo.InvariantCulture) * factor;
    }

    [GeneratedRegex(@"pulling (?<layers>\d+)/(?<of>\d+) layers(, (?<done>[\d.]+ [kMG]?B)/(?<total>[\d.]+ [kMG]?B))?")]
    private static partial Regex PullProgress();

    private void Line(string text) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {text}");
}
