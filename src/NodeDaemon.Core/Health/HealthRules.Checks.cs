using System.Globalization;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Health;

/// <summary>The gate's individual checks, each turning one piece of evidence into a <see cref="CheckOutcome"/>.</summary>
public static partial class HealthRules
{
    // Pods named in one message or reason at most; a pool-wide CNI outage would otherwise flood the annotation.
    private const int MaxPodsNamed = 3;

    private static List<CheckOutcome> ClusterOutcomes(ClusterEvidence cluster, HealthOptions options, HealthCheckContext context, DateTimeOffset now)
    {
        // The kubelet writes RFC 3339 times in whole seconds: a condition posted in the boot's own second still counts.
        var boot = new DateTimeOffset(context.BootTime.Ticks - (context.BootTime.Ticks % TimeSpan.TicksPerSecond), context.BootTime.Offset);
        var outcomes = new List<CheckOutcome> { KubeletReady(cluster.Ready, boot) };
        var graceOver = now >= context.GateStarted + options.CriticalPodGrace;
        foreach (var selector in cluster.Selectors ?? [])
        {
            if ((selector.Pods ?? []).Count == 0)
            {
                var quoted = $"\"{selector.Selector}\"";
                outcomes.Add(graceOver
                    ? CheckOutcome.FailedNow($"no pod matching {quoted} on the node {Seconds(options.CriticalPodGrace)} s after the gate started")
                    : CheckOutcome.NotYet($"a pod matching {quoted}", $"no pod matching {quoted} on the node"));
            }
        }

        // Two selectors may match one pod (the CNI is also a monitored DaemonSet): count it once.
        var pods = (cluster.Selectors ?? []).SelectMany(s => s.Pods ?? [])
            .DistinctBy(p => (p.Namespace, p.Name))
            .ToList();
        var notReady = pods.Where(p => !ReadySinceBoot(p, boot)).ToList();
        if (notReady.Count > 0)
        {
            var named = string.Join(", ", notReady.Take(MaxPodsNamed).Select(p => Describe(p, boot)))
                + (notReady.Count > MaxPodsNamed ? $" and {notReady.Count - MaxPodsNamed} more" : "");
            outcomes.Add(CheckOutcome.NotYet(
                $"{pods.Count - notReady.Count}/{pods.Count} critical pods Ready: {named}",
                $"critical {(notReady.Count == 1 ? "pod" : "pods")} {named}"));
        }

        return outcomes;
    }

    // setters.go ReadyCondition: every status post renews lastHeartbeatTime; lastTransitionTime moves only when the
    // status changes. Either after the boot shows this boot's kubelet said Ready; a True from before it is stale.
    private static CheckOutcome KubeletReady(NodeReadyCondition? ready, DateTimeOffset boot) =>
        ready switch
        {
            { Status: "True" } when ready.LastHeartbeatTime >= boot || ready.LastTransitionTime >= boot => CheckOutcome.Pass,
            { Status: "True" } => CheckOutcome.NotYet("kubelet Ready since this boot (its Ready is from before the boot)", "kubelet not Ready since this boot"),
            _ => CheckOutcome.NotYet("kubelet Ready", "kubelet not Ready"),
        };

    // A container running before the boot cannot still run after it, so a start after the boot is this boot's pod;
    // without a running container the Ready condition's transition is the only time there is.
    private static bool ReadySinceBoot(PodEvidence pod, DateTimeOffset boot) =>
        pod.Ready && (pod.RunningSince ?? pod.ReadySince) >= boot;

    private static string Describe(PodEvidence pod, DateTimeOffset boot)
    {
        var name = $"{pod.Namespace}/{pod.Name}";
        if (pod.Ready)
        {
            return $"{name} Ready only from before the boot";
        }

        var details = new List<string>();
        if (!string.IsNullOrEmpty(pod.WaitingReason))
        {
            details.Add(pod.WaitingReason);
        }

        if (pod.Restarts > 0)
        {
            details.Add(pod.Restarts == 1 ? "1 restart" : $"{pod.Restarts.ToString(CultureInfo.InvariantCulture)} restarts");
        }

        return details.Count == 0 ? $"{name} not Ready" : $"{name} not Ready ({string.Join(", ", details)})";
    }

    // Only "failed" is a failure the issue names; a unit the image lacks or masks is as broken for the admin who listed
    // it. A unit still starting is waited for; one that ran and exited (inactive) is not failed.
    private static CheckOutcome Unit(UnitEvidence unit)
    {
        var name = $"unit {unit.Name}";
        if (unit.Error is not null)
        {
            return CheckOutcome.Unknown($"{name} ({unit.Error})");
        }

        return (unit.LoadState, unit.ActiveState) switch
        {
            ("not-found" or "masked" or "bad-setting" or "error", _) => CheckOutcome.NotYet($"{name} ({unit.LoadState})", $"{name} {Words(unit.LoadState!)}"),
            (_, "failed") => CheckOutcome.NotYet($"{name} (failed)", $"{name} failed"),
            (_, "active" or "inactive") => CheckOutcome.Pass,
            (_, null) => CheckOutcome.Unknown($"{name} (no state)"),
            (_, var state) => CheckOutcome.NotYet($"{name} ({state})", $"{name} still {state}"),
        };
    }

    private static CheckOutcome BootComplete(UnitEvidence target) =>
        target switch
        {
            { Error: { } error } => CheckOutcome.Unknown($"{target.Name} ({error})"),
            { ActiveState: "active" } => CheckOutcome.Pass,
            _ => CheckOutcome.NotYet($"{target.Name} ({target.ActiveState ?? target.LoadState ?? "unknown"})",
                $"{target.Name} not reached ({target.ActiveState ?? target.LoadState ?? "unknown"})"),
        };

    private static CheckOutcome Healthz(HealthzEvidence healthz) =>
        healthz switch
        {
            { StatusCode: 200 } => CheckOutcome.Pass,
            { StatusCode: { } code } => CheckOutcome.NotYet($"kubelet healthz (HTTP {code.ToString(CultureInfo.InvariantCulture)})",
                $"kubelet healthz answered HTTP {code.ToString(CultureInfo.InvariantCulture)}"),
            _ => CheckOutcome.NotYet($"kubelet healthz ({healthz.Error ?? "no answer"})", $"kubelet healthz not answering ({healthz.Error ?? "no answer"})"),
        };

    private static string Words(string loadState) => loadState switch
    {
        "not-found" => "not found",
        "bad-setting" => "has a bad setting",
        "error" => "failed to load",
        _ => loadState,
    };

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
