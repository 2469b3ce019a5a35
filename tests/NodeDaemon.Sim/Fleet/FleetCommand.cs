using System.CommandLine;
using System.Text.Json;

namespace NodeDaemon.Sim.Fleet;

/// <summary>The <c>fleet</c> verb: N real agent loops on simulated hosts against one in-process API server; prints one JSON result.</summary>
internal static class FleetCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var defaults = new FleetSettings();
        var nodes = Int("--nodes", "Nodes in the pool, one agent each.", defaults.Nodes);
        var maxUnavailable = Int("--max-unavailable", "The pool's slots (fleet.maxUnavailable).", defaults.MaxUnavailable);
        var maxStaging = Int("--max-staging", "The pool's pulls at once (fleet.maxStaging); 0 is unbounded.", defaults.MaxStaging);
        var failNodes = Int("--fail-nodes", "Nodes whose stage is lost at every reboot (they end Degraded after reboot.maxAttempts).", 0);
        var haltAfter = Int("--halt-after", "fleet.haltAfterFailures.", defaults.HaltAfter);
        var seed = Int("--seed", "Seed of every random draw.", defaults.Seed);
        var crashRate = Number("--crash-rate", "Chance that a daemon crashes right after reporting a new phase (restarted after 10 s nominal).", 0);
        var errorRate = Number("--api-error-rate", "Fraction of API requests answered 500 once the image is annotated.", 0);
        var timeScale = Number("--time-scale", "Real seconds per nominal second, for everything.", defaults.TimeScale);
        var recheck = Number("--slot-recheck-seconds", "Nominal AgentLoop.SlotRecheck (the daemon's default is 1800).", defaults.SlotRecheck.TotalSeconds);
        var stage = Number("--stage-seconds", "Nominal pull-and-stage time.", defaults.Stage.TotalSeconds);
        var reboot = Number("--reboot-seconds", "Nominal reboot time, from the request to the daemon running again.", defaults.Reboot.TotalSeconds);
        var timeout = Number("--timeout-seconds", "Real seconds after which the run stops.", defaults.Timeout.TotalSeconds);
        var health = Number("--health-timeout-seconds", "Nominal health.timeoutSeconds of every agent; 0 turns the health gate off (the daemon before the gate).", defaults.HealthTimeout.TotalSeconds);
        var badImage = new Option<bool>("--bad-image") { Description = "The target image is bad: a node that boots it has a kubelet that never turns Ready (it must fail the health gate). The result counts nodesBootedBadImage and nodesRolledBack; the run passes only when at most --halt-after nodes booted it and the pool halted." };
        var noRbac = new Option<bool>("--no-rbac") { Description = "Allow every request (by default the API server enforces docs/rbac.yaml and the agents use the daemon's service account)." };
        var command = new Command("fleet", "Run a pool of real agent loops (real Kubernetes clients over HTTP, simulated hosts) against one in-process API server, point every node at one image, and check that no more than maxUnavailable nodes are ever cordoned. Prints one JSON result; exit 0 when the invariant held and the pool converged (or halted as expected), 1 otherwise, 2 for bad options.")
        {
            nodes, maxUnavailable, maxStaging, failNodes, haltAfter, seed, crashRate, errorRate, timeScale, recheck, stage, reboot, timeout, health, badImage, noRbac,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new FleetSettings
            {
                Nodes = parse.GetValue(nodes),
                MaxUnavailable = parse.GetValue(maxUnavailable),
                MaxStaging = parse.GetValue(maxStaging),
                FailNodes = parse.GetValue(failNodes),
                HaltAfter = parse.GetValue(haltAfter),
                Seed = parse.GetValue(seed),
                CrashRate = parse.GetValue(crashRate),
                ApiErrorRate = parse.GetValue(errorRate),
                TimeScale = parse.GetValue(timeScale),
                SlotRecheck = TimeSpan.FromSeconds(parse.GetValue(recheck)),
                Stage = TimeSpan.FromSeconds(parse.GetValue(stage)),
                Reboot = TimeSpan.FromSeconds(parse.GetValue(reboot)),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Rbac = !parse.GetValue(noRbac),
                BadImage = parse.GetValue(badImage),
                HealthTimeout = TimeSpan.FromSeconds(parse.GetValue(health)),
            };
            if (settings.Problems() is { Count: > 0 } problems)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync($"nodedaemon-sim fleet: {problem}").ConfigureAwait(false);
                }

                return 2;
            }

            var result = await new FleetRunner(settings).RunAsync(ct).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(result, s_json));
            return result.Passed ? 0 : 1;
        });
        return command;
    }

    private static Option<int> Int(string name, string description, int value) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    private static Option<double> Number(string name, string description, double value) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };
}
