using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>Checks a run against its scenario's <see cref="ScenarioExpect"/> and the rules that hold for every run.</summary>
public static class ScenarioExpectations
{
    /// <summary>The daemon's field manager, and the User-Agent prefix the server names its writes after without one.</summary>
    private const string DaemonManager = "nodedaemon";

    /// <summary>Every broken expectation, in words.</summary>
    internal static List<string> Check(Scenario scenario, JsonObject result, IReadOnlyList<Eviction> evictions,
        IReadOnlyList<HostTransaction> transactions, IReadOnlyList<TimelineEntry> timeline, int unfired, bool endReached)
    {
        var expect = scenario.Expect;
        var failures = new List<string>();
        var annotations = result["node"]!["annotations"]!.AsObject();
        var keys = ScenarioKeys.For(scenario.Options);

        if (!endReached)
        {
            failures.Add($"the node never reached {expect.State} (state {(string?)annotations[keys.State] ?? "none"}, " +
                $"phase {(string?)annotations[keys.Phase] ?? "none"}, message \"{(string?)annotations[keys.Message]}\")");
        }

        if (expect.ReasonContains is { } reason && ((string?)annotations[keys.Reason])?.Contains(reason, StringComparison.Ordinal) != true)
        {
            failures.Add($"reason \"{(string?)annotations[keys.Reason]}\" does not contain \"{reason}\"");
        }

        Equal(failures, "reboots", expect.Reboots, (int)result["reboots"]!);
        if (expect.Evictions is { } evicted)
        {
            Equal(failures, "evictions", evicted, evictions.Count);
        }

        foreach (var twice in evictions.GroupBy(e => e.Pod).Where(g => g.Count() > 1))
        {
            failures.Add($"{twice.Key} was evicted {twice.Count()} times");
        }

        Equal(failures, "budget violations", 0, (int)result["budgetViolations"]!);
        failures.AddRange(keys.OtherProtocolOutputs.Where(annotations.ContainsKey)
            .Select(k => $"{k} was written, a key of the protocol the daemon was not configured to speak"));
        // With RBAC enforced, a 403 means the shipped manifest does not grant something the daemon does.
        foreach (var (request, count) in result["apiErrors"]!.AsObject().Where(e => e.Key.EndsWith(" 403", StringComparison.Ordinal)))
        {
            failures.Add($"{count} requests refused by RBAC ({request}): docs/rbac.yaml does not grant what the daemon does");
        }

        // Auditability: every write of the daemon names its field manager, so the node's managedFields say what it changed.
        var daemonWrites = result["unmanagedWrites"]!.AsObject().Where(w => w.Key.StartsWith(DaemonManager + " ", StringComparison.Ordinal)).ToList();
        if (daemonWrites.Count > 0)
        {
            failures.Add($"writes of the daemon without fieldManager={DaemonManager}: {string.Join(", ", daemonWrites.Select(w => $"{w.Key} x{w.Value}"))}");
        }

        if (!result["node"]!["managers"]!.AsArray().Any(m => (string?)m == DaemonManager))
        {
            failures.Add($"the node's managedFields do not name {DaemonManager}");
        }

        if (annotations.ContainsKey(keys.CordonedBy) != expect.CordonKept)
        {
            failures.Add(expect.CordonKept ? "our cordon mark is not on the node" : "our cordon mark is still on the node");
        }

        foreach (var (key, text) in expect.Annotations)
        {
            var value = (string?)annotations[key];
            if (text is null ? value is not null : value?.Contains(text, StringComparison.Ordinal) != true)
            {
                failures.Add(text is null ? $"annotation {key} is \"{value}\", expected none" : $"annotation {key} is \"{value}\", expected it to contain \"{text}\"");
            }
        }

        if ((bool)result["measurements"]!["pullingWhileCordoned"]!)
        {
            failures.Add("an image was pulled while the node was cordoned by us");
        }

        Equal(failures, "spec.unschedulable", expect.Unschedulable, (bool)result["node"]!["unschedulable"]!);
        foreach (var (method, count) in expect.Transactions)
        {
            Equal(failures, $"{method} transactions", count, transactions.Count(t => t.Method == method));
        }

        var phases = timeline.Select(t => t.Phase).ToHashSet();
        failures.AddRange(expect.PhasesSeen.Where(p => !phases.Contains(p)).Select(p => $"phase {p} never showed"));
        failures.AddRange(expect.PhasesNotSeen.Where(phases.Contains).Select(p => $"phase {p} showed"));
        var reasons = result["events"]!.AsArray().Select(e => (string?)e!["reason"]).ToHashSet();
        failures.AddRange(expect.Events.Where(r => !reasons.Contains(r)).Select(r => $"no {r} event"));
        var messages = result["messages"]?.AsArray().Select(m => (string?)m ?? "").ToList() ?? [];
        failures.AddRange(expect.MessagesSeen.Where(text => !messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
            .Select(text => $"no message contained \"{text}\""));
        var systemd = result["systemd"]!;
        if (expect.DaemonRestarts is { } restarts)
        {
            Equal(failures, "daemon restarts", restarts, (int)result["daemonRestarts"]!);
        }

        if (expect.WatchdogKills is { } kills)
        {
            Equal(failures, "watchdog kills", kills, (int)systemd["watchdogKills"]!);
        }

        foreach (var (cause, count) in expect.Restarts)
        {
            Equal(failures, $"restarts after {cause}", count, (int?)systemd["restarts"]![cause] ?? 0);
        }

        CheckConnections(failures, expect, result);

        if (expect.MaxApiRequests is { } most)
        {
            var requests = result["apiRequests"]!.AsObject().Sum(r => (int)r.Value!);
            if (requests > most)
            {
                failures.Add($"api requests: expected at most {most}, got {requests}");
            }
        }

        if (expect.BootedDesired is { } bootedDesired)
        {
            var booted = (string?)result["host"]!["booted"]?["digest"];
            Equal(failures, "booted on the desired image", bootedDesired, booted is not null && booted == (string?)result["desiredDigest"]);
        }

        if (expect.BootedChecksum is { } checksum)
        {
            Equal(failures, "booted commit", checksum, (string?)result["host"]!["booted"]?["checksum"]);
        }

        if (unfired > 0)
        {
            failures.Add($"{unfired} trigger(s) never fired: the scenario did not exercise what it meant to");
        }

        return failures;
    }

    private static void Equal<T>(List<string> failures, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            failures.Add($"{what}: expected {expected}, got {actual}");
        }
    }

    // Connections are counted by the server (its connection middleware), per run of the daemon, whatever it logged.
    private static void CheckConnections(List<string> failures, ScenarioExpect expect, JsonObject result)
    {
        var connections = result["apiConnections"]!;
        var accepted = (long)connections["accepted"]!;
        if (expect.MaxApiConnectionsPerRun is { } most)
        {
            var runs = Math.Max(1, (int)result["daemonRuns"]!);
            if (accepted > (long)most * runs)
            {
                failures.Add($"api connections: expected at most {most} per daemon run ({runs} runs), got {accepted}");
            }
        }

        if (expect.ApiProtocol is { } protocol)
        {
            var negotiated = (int?)connections["byProtocol"]![protocol] ?? 0;
            if (negotiated != accepted)
            {
                failures.Add($"api connections: expected all {accepted} to negotiate {protocol}, got {connections["byProtocol"]!.ToJsonString()}");
            }
        }
    }
}
