using NodeDaemon.Core.Agent;

namespace NodeDaemon.Core.Cluster;

/// <summary>Which Node conditions a report means, and when a write of them is due: pure, table-tested; see docs/protocol.md.</summary>
/// <remarks>
/// Two types in node-problem-detector's polarity (True is what needs a look, False is normal) so that tools which flag
/// "a condition other than Ready that is True" read them right; reasons carry the phase, and messages stay the same
/// for a phase, so that a progress line never costs a status write: one write per phase change.
/// </remarks>
public static class NodeConditionRules
{
    /// <summary>True while the daemon works on an update of the OS image (staging to verifying).</summary>
    public const string Progressing = "OSUpdateProgressing";

    /// <summary>True while the daemon has given up on the desired image.</summary>
    public const string Degraded = "OSUpdateDegraded";

    /// <summary>The condition types the daemon owns (and only these does it ever write).</summary>
    public static IReadOnlyList<string> Types { get; } = [Progressing, Degraded];

    /// <summary>The conditions <paramref name="report"/> means, in <see cref="Types"/> order; the message is not read.</summary>
    public static IReadOnlyList<NodeConditionValue> For(NodeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [ProgressingFor(report), DegradedFor(report)];
    }

    /// <summary>
    /// <paramref name="wanted"/> with transition times: the one <paramref name="seen"/> on the node when its status is
    /// unchanged (a new reason is no transition), else <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<NodeConditionValue> Stamp(IReadOnlyList<NodeConditionValue> wanted, IReadOnlyList<NodeConditionValue> seen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(seen);
        return [.. wanted.Select(w => w with
        {
            LastTransitionTime = seen.LastOrDefault(s => s.Type == w.Type) is { Status: var status, LastTransitionTime: { } since } && status == w.Status ? since : now,
        })];
    }

    /// <summary>Whether <paramref name="seen"/> (a node's conditions) already says everything <paramref name="wanted"/> says.</summary>
    public static bool Shows(IReadOnlyList<NodeConditionValue> seen, IReadOnlyList<NodeConditionValue> wanted)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(wanted);
        return wanted.All(w => seen.LastOrDefault(s => s.Type == w.Type) is { } s && s.Content == w.Content);
    }

    /// <summary>Whether <paramref name="wanted"/> is worth a status write of its own, with no report to ride on: when a status
    /// would change (or a type is missing), not for a new reason or message alone.</summary>
    /// <remarks>A cordon moves the phase to Draining but cannot carry conditions (it goes through <c>nodes</c>); Progressing stays
    /// True there and only its reason changes, so that reason rides on the phase's next write (a progress line, the
    /// Rebooting report) rather than costing a request. The uncordon's Done turns Progressing False: written at once.</remarks>
    public static bool WorthWriteAlone(IReadOnlyList<NodeConditionValue> seen, IReadOnlyList<NodeConditionValue> wanted)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(wanted);
        return wanted.Any(w => seen.LastOrDefault(s => s.Type == w.Type) is not { } s || s.Status != w.Status);
    }

    private static NodeConditionValue ProgressingFor(NodeReport report) => (report.State, report.Phase) switch
    {
        (AgentCondition.Degraded, _) => False(Progressing, "Degraded", "stopped: the update failed, see OSUpdateDegraded"),
        (_, AgentState.Paused) => False(Progressing, "Paused", "held by an admin before any disruption"),
        (AgentCondition.Working, AgentState.Staging) => True(Progressing, "Staging", "pulling and staging the desired image; nothing disrupted yet"),
        (AgentCondition.Working, AgentState.Staged) => True(Progressing, "Staged", "staged; waiting for the maintenance window"),
        (AgentCondition.Working, AgentState.WaitingForSlot) => True(Progressing, "WaitingForSlot", "staged; waiting for a slot in the pool"),
        (AgentCondition.Working, AgentState.Draining) => True(Progressing, "Draining", "cordoned; evicting pods before the reboot"),
        (AgentCondition.Working, AgentState.Rebooting) => True(Progressing, "Rebooting", "rebooting into the staged image"),
        (AgentCondition.Working, AgentState.Verifying) => True(Progressing, "Verifying", "booted; verifying the image before giving the node back"),
        (AgentCondition.Done, _) => False(Progressing, "UpToDate", "booted on the desired image, or none is desired"),
        _ => False(Progressing, "Idle", "nothing to do"),
    };

    private static NodeConditionValue DegradedFor(NodeReport report) => report.State == AgentCondition.Degraded
        ? True(Degraded, "UpdateFailed", report.Reason.Length > 0 ? report.Reason : "gave up on the desired image")
        : False(Degraded, "AsExpected", "no update has failed");

    private static NodeConditionValue True(string type, string reason, string message) => new(type, "True", reason, message);

    private static NodeConditionValue False(string type, string reason, string message) => new(type, "False", reason, message);
}
