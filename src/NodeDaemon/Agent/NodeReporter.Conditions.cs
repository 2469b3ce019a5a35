using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Diagnostics;
using NodeDaemon.Metrics;

namespace NodeDaemon.Agent;

/// <summary>The node's status conditions: written with a report (or after a cordon's write), only when what they say changes (one write per phase change).</summary>
internal sealed partial class NodeReporter
{
    // What this process last wrote (or found on the node); null: nothing yet, or the last write failed.
    private IReadOnlyList<NodeConditionValue>? _conditions;

    /// <summary>Writes the conditions <paramref name="decision"/> means unless they were written already or the node shows them.</summary>
    /// <remarks>Best effort, as every report: a failure is logged and the next report writes them again. The caller holds the write gate.
    /// Only after a cordon's write, which cannot carry them (the status subresource keeps the old spec, the node itself the old status).</remarks>
    private async Task ConditionsInsideAsync(Decision decision, CancellationToken cancellationToken)
    {
        if (ConditionsDue(decision) is not { } wanted)
        {
            return;
        }

        try
        {
            await node.SetConditionsAsync(wanted, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            LogConditionsFailed(e.Message);
            settings.Metrics.Failed(FailureKind.Api);
            _conditions = null;
        }
    }

    /// <summary>The conditions <paramref name="decision"/> means, noted as written; null when they were written already or the node shows them.</summary>
    private IReadOnlyList<NodeConditionValue>? ConditionsDue(Decision decision)
    {
        var wanted = NodeConditionRules.For(new NodeReport(decision.Condition, decision.State, decision.Reason ?? TurnTrouble ?? "", "", null));
        var shown = _conditions is { } last ? last.SequenceEqual(wanted) : observer.Latest is { } seen && NodeConditionRules.Shows(seen.Conditions, wanted);
        // A restart finds its conditions on the node (or a daemon upgrade finds none, and writes them once).
        _conditions = wanted;
        return shown ? null : wanted;
    }

    [LoggerMessage((int)LogEventId.NodeConditionsFailed, LogLevel.Warning, "Could not write the node's conditions: {Problem}")]
    private partial void LogConditionsFailed(string problem);
}
