using NodeDaemon.Sim.Fleet;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Acceptance.Tests;

/// <summary>
/// Issue 17's end-to-end check: the published binary's <c>rollout start</c> points a fleet simulation (real agent loops,
/// simulated hosts, the test API server) at an image, then <c>rollout status --watch</c> follows it to its end: exit 0
/// when the pool converged, non-zero with the failed node named when it halted.
/// </summary>
/// <remarks>Six nodes, two slots, a hundredth of real time: seconds on two cores. Every wait is bounded; the fleet runner
/// stops its agents and its API server after the CLI returned.</remarks>
public sealed class RolloutEndToEndTests : IDisposable
{
    private static readonly TimeSpan s_startBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_watchBound = TimeSpan.FromSeconds(180);

    private static readonly FleetSettings s_pool = new()
    {
        Nodes = 6,
        MaxUnavailable = 2,
        Seed = 7,
        Timeout = TimeSpan.FromSeconds(120),
        // Short, so that a halted pool's waiting nodes each ask again (and see the halt) within a second of real time.
        SlotRecheck = TimeSpan.FromMinutes(1),
    };

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-rollout-e2e-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Start_then_status_watch_exits_zero_when_the_pool_converged()
    {
        var cli = new Cli(_dir);

        var run = await FleetRunner.RunPoolAsync(s_pool, new FleetExternalTarget(cli.StartThenWatchAsync), CancellationToken.None);

        Assert.True(cli.Start is { ExitCode: 0 }, $"rollout start: {cli.Start}");
        Assert.True(run.Converged, $"the pool did not converge: {Describe(run)}\n{cli.Watch}");
        Assert.True(cli.Watch is { ExitCode: 0 }, $"rollout status --watch: {cli.Watch}");
        Assert.Contains("6/6 Done", cli.Watch!.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("converged", cli.Watch!.StandardOutput, StringComparison.Ordinal);
        await cli.KeepTranscriptAsync("converged");
    }

    [Fact]
    public async Task Status_watch_exits_non_zero_naming_the_failed_node_when_the_pool_halted()
    {
        // One node loses its stage at every reboot: it ends Degraded, and with haltAfterFailures 1 the pool halts.
        var cli = new Cli(_dir);

        var run = await FleetRunner.RunPoolAsync(s_pool with { FailNodes = 1, HaltAfter = 1 }, new FleetExternalTarget(cli.StartThenWatchAsync),
            CancellationToken.None);

        Assert.True(cli.Start is { ExitCode: 0 }, $"rollout start: {cli.Start}");
        var failed = Assert.Single(run.Agents, a => a.LosesStage).Name;
        Assert.True(run.Nodes[failed].State == "Degraded", $"{failed} did not fail: {Describe(run)}\n{cli.Watch}");
        Assert.True(cli.Watch is { ExitCode: not 0 }, $"rollout status --watch: {cli.Watch}");
        Assert.Contains($"halted: {failed} Degraded", cli.Watch!.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("timed out", cli.Watch!.StandardError, StringComparison.Ordinal);
        await cli.KeepTranscriptAsync("halted");
    }

    private static string Describe(FleetRun run) =>
        string.Join("; ", run.Nodes.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key} {n.Value.State}/{n.Value.Phase}: {n.Value.Message}"));

    /// <summary>The admin's side: the published binary with a config naming the fleet's pool label and lease namespace.</summary>
    private sealed class Cli(DirectoryInfo dir)
    {
        private readonly string _binary = Environment.GetEnvironmentVariable("SCENARIO_DAEMON_BINARY")
            ?? Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "nodedaemon");

        public ToolResult? Start { get; private set; }

        public ToolResult? Watch { get; private set; }

        /// <summary><c>rollout start --pool</c>, then, when it wrote, <c>rollout status --watch</c> until the pool's end.</summary>
        public async Task StartThenWatchAsync(FleetTarget target, CancellationToken cancellationToken)
        {
            Assert.True(File.Exists(_binary), $"{_binary} is missing: run ./build.sh publish (./build.sh test does)");
            var config = Path.Combine(dir.FullName, "fleet.json");
            await File.WriteAllTextAsync(config, $$$"""{"fleet": {"enabled": true, "poolLabel": "{{{target.PoolLabel}}}", "leaseNamespace": "{{{target.LeaseNamespace}}}"}}""",
                cancellationToken);
            string[] cluster = ["--kubeconfig", target.Kubeconfig, "--config", config, "--config-dir", dir.CreateSubdirectory("conf.d").FullName];
            Start = await Tool.RunAsync(_binary, ["rollout", "start", "--pool", target.Pool, target.Image, .. cluster], s_startBound);
            if (Start.ExitCode != 0)
            {
                return;
            }

            // --timeout below the test's bound: a watch that never sees the end exits "timed out" instead of being killed.
            Watch = await Tool.RunAsync(_binary, ["rollout", "status", "--pool", target.Pool, "--watch", "--timeout", "120s", .. cluster], s_watchBound);
            _pool = target.Pool;
        }

        private string _pool = "";

        /// <summary>
        /// Writes the watch as a terminal session would show it (into a pipe: one block per change) to
        /// <c>artifacts/rollout-watch-NAME.txt</c>: the README's transcripts are copied from these files, never written by hand.
        /// </summary>
        public async Task KeepTranscriptAsync(string name)
        {
            var folder = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "artifacts"));
            var text = $"$ nodedaemon rollout status --pool {_pool} --watch --timeout 120s --kubeconfig $KUBECONFIG --config fleet.json\n"
                + Watch!.StandardOutput + Watch.StandardError + $"$ echo $?\n{Watch.ExitCode}\n";
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, $"rollout-watch-{name}.txt"), text);
        }
    }
}
