using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>What a run produced: the result document (docs/simulator.md) and the expectations that failed.</summary>
/// <param name="Document">The JSON printed by <c>nodedaemon-sim scenario</c>.</param>
/// <param name="Failures">Every broken expectation, in words; empty when the scenario passed.</param>
public sealed record ScenarioResult(JsonObject Document, IReadOnlyList<string> Failures)
{
    /// <summary>All expectations held.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Collects the result from the world before it is torn down.</summary>
    internal static ScenarioResult Build(Scenario scenario, ScenarioWorld world, ScenarioObserver observer, BudgetSampler sampler,
        RunState run, RunClock clock, int unfired, ScenarioKeys keys, string? desiredDigest, bool endReached)
    {
        var node = world.Api.Store.Get(ResourceTypes.Nodes, null, scenario.Node.Name)!;
        var annotations = node["metadata"]?["annotations"] as JsonObject ?? [];
        var host = world.HostState();
        var timeline = observer.Timeline;
        var evictions = observer.Evictions;
        var transactions = Transactions(world, clock);
        var measurements = ScenarioMeasurements.From(run, timeline, transactions);
        var converged = scenario.Expect.State == "Done" && endReached;

        var document = new JsonObject
        {
            ["scenario"] = scenario.Name,
            ["converged"] = converged,
            ["endState"] = (string?)annotations[keys.State],
            ["desiredDigest"] = desiredDigest,
            ["node"] = new JsonObject
            {
                ["annotations"] = annotations.DeepClone(),
                ["unschedulable"] = (bool?)node["spec"]?["unschedulable"] ?? false,
                ["managers"] = new JsonArray([.. (node["metadata"]?["managedFields"] as JsonArray ?? []).Select(e => (JsonNode?)(string?)e?["manager"])]),
                // The kubelet model's and anyone else's, as `kubectl describe node` shows them.
                ["conditions"] = new JsonArray([.. (node["status"]?["conditions"] as JsonArray ?? []).Select(c => (JsonNode?)new JsonObject
                {
                    ["type"] = (string?)c?["type"], ["status"] = (string?)c?["status"], ["reason"] = (string?)c?["reason"],
                    ["lastTransitionTime"] = (string?)c?["lastTransitionTime"],
                })]),
            },
            ["host"] = new JsonObject
            {
                ["booted"] = Image(ScenarioFiles.Booted(host)),
                ["staged"] = Image(ScenarioFiles.Staged(host)),
            },
            ["reboots"] = world.Boot,
            ["crashes"] = world.Crashes,
            ["daemonRestarts"] = world.DaemonRestarts,
            ["systemd"] = Systemd(world.Service, clock),
            ["hostRestarts"] = world.HostRestarts,
            ["evictions"] = new JsonArray([.. evictions.Select(e => (JsonNode)new JsonObject { ["atMs"] = e.AtMs, ["pod"] = e.Pod, ["uid"] = e.Uid })]),
            ["budgetViolations"] = sampler.Violations,
            ["budgetSamples"] = sampler.Samples,
            ["events"] = new JsonArray([.. world.Api.Store.List(ResourceTypes.Events).Select(e => (JsonNode)new JsonObject
            {
                ["reason"] = (string?)e["reason"],
                ["message"] = (string?)e["message"],
                ["count"] = (int?)e["count"] ?? 1,
            })]),
            ["timeline"] = new JsonArray([.. timeline.Select(e => (JsonNode)new JsonObject
            {
                ["atMs"] = e.AtMs,
                ["phase"] = e.Phase,
                ["state"] = e.State,
                ["unschedulable"] = e.Unschedulable,
                ["cordonedByUs"] = e.CordonedByUs,
            })]),
            ["messages"] = new JsonArray([.. observer.Messages.Select(m => (JsonNode)m)]),
            ["transactions"] = new JsonArray([.. transactions.Select(t => (JsonNode)new JsonObject
            {
                ["startedMs"] = t.StartedMs,
                ["finishedMs"] = t.FinishedMs,
                ["method"] = t.Method,
                ["success"] = t.Success,
                ["message"] = t.Message,
            })]),
            ["measurements"] = measurements.ToJson(),
            ["apiRequests"] = new JsonObject([.. world.Api.Requests.Snapshot().Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))]),
            ["apiConnections"] = world.Api.Requests.Connections.ToJson(),
            ["daemonRuns"] = world.DaemonLogs.Count + (world.Daemon is null ? 0 : 1),
            ["apiErrors"] = new JsonObject([.. world.Api.Requests.Errors().Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))]),
            ["unmanagedWrites"] = new JsonObject([.. world.Api.Requests.Unmanaged().Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))]),
        };
        var failures = ScenarioExpectations.Check(scenario, document, evictions, transactions, timeline, unfired, endReached);
        var log = string.Join("\n--- daemon restarted ---\n", world.DaemonLogs.Append(world.Daemon?.Stderr ?? ""));
        if (scenario.Expect.LogContains is { } text && !log.Contains(text, StringComparison.Ordinal))
        {
            failures.Add($"no daemon run wrote \"{text}\"");
        }

        document["passed"] = failures.Count == 0;
        document["failures"] = new JsonArray([.. failures.Select(f => (JsonNode)f)]);
        document["daemonLog"] = failures.Count == 0 ? null : Tail(log);
        return new ScenarioResult(document, failures);
    }

    /// <summary>What the supervisor playing systemd did: the unit as run, watchdog kills, restarts by cause, every exit.</summary>
    private static JsonObject Systemd(ServiceSupervisor service, RunClock clock) => new()
    {
        ["unit"] = new JsonObject
        {
            ["watchdogSec"] = service.Unit.WatchdogSec?.TotalSeconds,
            ["restart"] = service.Unit.Restart,
            ["restartSec"] = service.Unit.RestartSec.TotalSeconds,
            ["timeoutStopSec"] = service.Unit.TimeoutStopSec.TotalSeconds,
            ["watchdogSignal"] = "SIG" + service.Unit.WatchdogSignal,
        },
        ["watchdogKills"] = service.WatchdogKills,
        ["startTimeouts"] = service.StartTimeouts,
        ["restarts"] = new JsonObject([.. service.Restarts.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))]),
        ["startLimitHit"] = service.StartLimitHit,
        ["exits"] = new JsonArray([.. service.Exits.Select(e => (JsonNode)new JsonObject
        {
            ["atMs"] = clock.ToMilliseconds(e.At),
            ["exitCode"] = e.ExitCode,
            ["signal"] = e.Signal,
            ["result"] = e.Result,
            ["restarted"] = e.Restarted,
        })]),
    };

    private static JsonObject? Image(DeploymentImage? image) =>
        image is null ? null : new JsonObject { ["image"] = image.Image, ["digest"] = image.Digest, ["checksum"] = image.Checksum };

    private static List<HostTransaction> Transactions(ScenarioWorld world, RunClock clock)
    {
        var list = new List<HostTransaction>();
        foreach (var e in world.Host.Events)
        {
            if (e.Event == "transaction-started")
            {
                list.Add(new HostTransaction(e.Method ?? "", clock.ToMilliseconds(e.Timestamp), null, null, null));
            }
            else if (e.Event == "stopped")
            {
                var at = clock.ToMilliseconds(e.Timestamp);
                list = [.. list.Select(t => t.FinishedMs is null ? t with { FinishedMs = at, Message = "the host stopped" } : t)];
            }
            else if (e.Event == "transaction-finished" && list.FindLastIndex(t => t.Method == e.Method && t.FinishedMs is null) is var i and >= 0)
            {
                list[i] = list[i] with { FinishedMs = clock.ToMilliseconds(e.Timestamp), Success = (bool?)e.Fields["success"], Message = (string?)e.Fields["message"] };
            }
        }

        return list;
    }

    // A failed run's daemon log is the first thing to read; the end of it is where the trouble is.
    private static string Tail(string text) => text.Length <= 8000 ? text : "…" + text[^8000..];
}

/// <summary>One host transaction, from Start to Finished (FinishedMs null: it never finished, e.g. the host died).</summary>
/// <param name="Method">The D-Bus method.</param>
/// <param name="StartedMs">When it started, ms since the run began.</param>
/// <param name="FinishedMs">When it finished.</param>
/// <param name="Success">How it finished.</param>
/// <param name="Message">The error message of a failure.</param>
public sealed record HostTransaction(string Method, long StartedMs, long? FinishedMs, bool? Success, string? Message);
