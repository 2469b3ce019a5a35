using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.Scenarios;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Acceptance.Tests;

/// <summary>Every scenario of tests/scenarios/ against the published Native AOT daemon: each must meet its expectations
/// and the rules of every run (no budget broken, no pod evicted twice, no pull while cordoned, no cordon of ours left).</summary>
public sealed class ScenarioLibraryTests
{
    private static readonly string s_library = Path.Combine(RepositoryPaths.Root, "tests", "scenarios");

    /// <summary>The scenario files, by name.</summary>
    public static TheoryData<string> Names() => [.. Directory.GetFiles(s_library, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Scenario_meets_its_expectations(string name)
    {
        var scenario = Scenario.Load(Path.Combine(s_library, name + ".json"));

        var result = await new ScenarioRunner(scenario, s_library, Daemon()).RunAsync();

        AssertRanClean(name, result, "");
    }

    /// <summary>The demo's scenario (tests/demo/), run as <c>./build.sh demo</c> runs it (<c>nodedaemon-sim scenario --narrate</c>:
    /// the narrator, the idle RSS sample), so a change that leaves the demo behind fails here and not in front of an audience.</summary>
    /// <remarks>Not in <see cref="Names"/>: the demo file lives beside its script and is run with the demo's settings.</remarks>
    [Fact]
    public async Task Demo_scenario_meets_its_expectations_as_the_demo_runs_it()
    {
        var demo = Path.Combine(RepositoryPaths.Root, "tests", "demo");
        var scenario = Scenario.Load(Path.Combine(demo, "demo-scenario.json"));
        using var narration = new StringWriter();

        var result = await new ScenarioRunner(scenario, demo, Daemon(), new ConsoleNarrator(narration)) { SampleIdleRss = true }.RunAsync();

        AssertRanClean("demo", result, narration.ToString());
        Assert.Contains($"scenario {scenario.Name}:", narration.ToString(), StringComparison.Ordinal);
    }

    private static void AssertRanClean(string name, ScenarioResult result, string narration)
    {
        Assert.True(result.Passed, $"{name}: {string.Join("; ", result.Failures)}\n{narration}\n{result.Document["daemonLog"]}");
        Assert.Equal(0, (int)result.Document["budgetViolations"]!);
        Assert.True((int)result.Document["budgetSamples"]! > 0, "the budgets were never sampled");
    }

    [Fact]
    public void The_library_covers_every_fault_kind_crash_point_and_input_case()
    {
        var scenarios = Directory.GetFiles(s_library, "*.json").Select(Scenario.Load).ToList();
        var kinds = scenarios.SelectMany(s => s.Faults).Select(f => f.Kind).ToHashSet();

        Assert.Superset(new HashSet<string> { "pull-fail", "pull-hang", "busy", "die", "finalization-lost", "digest-moved", "finalize-compares", "inhibitor", "api", "registry-down",
            "sysroot-locked", "lifecycle", "another-stager", "die-in-finalize", "reboot-refused", "clock" }, kinds);
        Assert.Contains(scenarios, s => s.RealRegistry is { WrongCredentials: true });
        Assert.Contains(scenarios, s => s.RealRegistry is not null && s.DesiredImage?.Contains("@{index}", StringComparison.Ordinal) == true);
        Assert.True(scenarios.Count(s => s.Crashes.Count > 0) >= 5, "fewer than five crash points");
        Assert.Contains(scenarios, s => s.Node.Unschedulable);
        Assert.Contains(scenarios, s => s.Node.Annotations.ContainsKey("nodedaemon.io/paused"));
        Assert.Contains(scenarios, s => s.Actions.Any(a => a.Annotate.ContainsKey("nodedaemon.io/desired-image")));
        Assert.Contains(scenarios, s => s.Expect.State == "Degraded" && s.DesiredImage?.Contains(';', StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Every_scenario_pulls_from_the_real_registry_unless_it_says_why()
    {
        var scenarios = Directory.GetFiles(s_library, "*.json").Select(Scenario.Load).ToList();

        // An image the daemon pulls is on the scenario's registry; one it refuses before pulling (Rebase: 0) may be anything.
        var elsewhere = scenarios.Where(s => s.RealRegistry is not null && s.DesiredImage is { } image
            && !image.StartsWith("{registry}/", StringComparison.Ordinal) && s.Expect.Transactions.GetValueOrDefault("Rebase", -1) != 0);
        Assert.Empty(elsewhere.Select(s => s.Name));
        Assert.Empty(scenarios.Where(s => s.RealRegistry is not null && s.Registry.Count > 0).Select(s => s.Name));
        Assert.True(scenarios.Count(s => s.RealRegistry is null) <= 2, "more than two scenarios left the real registry");
    }

    /// <summary>The AOT binary: <c>SCENARIO_DAEMON_BINARY</c> (not <c>NODEDAEMON_*</c>: the daemon reads those as options), else the repository's <c>artifacts/bin/nodedaemon</c>.</summary>
    private static DaemonCommandLine Daemon()
    {
        var path = Environment.GetEnvironmentVariable("SCENARIO_DAEMON_BINARY") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "nodedaemon");
        Assert.True(File.Exists(path), $"{path} is missing: the scenarios run the published binary; run ./build.sh publish (./build.sh test does)");
        return DaemonCommandLine.Native(path);
    }
}
