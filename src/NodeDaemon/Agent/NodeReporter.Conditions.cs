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

    /// <summary>Writes the conditions <paramref name="decision"/> means unless they were written already, the node shows them,
    /// or they change only a reason (<see cref="NodeConditionRules.WorthWriteAlone"/>: then they ride on the next report).</summary>
    /// <remarks>Best effort, as every report: a failure is logged and the next report writes them again. The caller holds the write gate.
    /// Only after a cordon's write, which cannot carry them (the status subresource keeps the old spec, the node itself the old status).</remarks>
    private async Task ConditionsInsideAsync(Decision decision, CancellationToken cancellationToken)
    {
        if (ConditionsDue(decision, withReport: false) is not { } wanted)
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

    /// <summary>The conditions <paramref name="decision"/> means, noted as written; null when they were written already, the node
    /// shows them, or (without a report to ride on, <paramref name="withReport"/> false) they are not worth a write of their own.</summary>
    private IReadOnlyList<NodeConditionValue>? ConditionsDue(Decision decision, bool withReport)
    {
        var wanted = NodeConditionRules.For(new NodeReport(decision.Condition, decision.State, decision.Reason ?? TurnTrouble ?? "", "", null));
        // A restart finds its conditions on the node (or a daemon upgrade finds none, and writes them once).
        var seen = _conditions ?? observer.Latest?.Conditions;
        if (seen is not null && NodeConditionRules.Shows(seen, wanted))
        {
            _conditions = wanted;
            return null;
        }

        if (!withReport && seen is not null && !NodeConditionRules.WorthWriteAlone(seen, wanted))
        {
            // Not noted as written: the next report (the drain's progress line, the Rebooting report) finds them due and carries them.
            return null;
        }

        _conditions = wanted;
        return wanted;
    }

    [LoggerMessage((int)LogEventId.NodeConditionsFailed, LogLevel.Warning, "Could not write the node's conditions: {Problem}")]
    private partial void LogConditionsFailed(string problem);
}
