namespace NodeDaemon.Metrics;

/// <summary>The series the shipped alerts read (packaging/nodedaemon-alerts.yaml, docs/operations.md "Alerts").</summary>
public sealed partial class AgentMetrics
{
    /// <summary>Writes the cordon, halt and rejected-image series of <paramref name="signals"/>.</summary>
    /// <remarks>
    /// Gauges of the node as last read, not counters of this process: each says what the node shows now, so a daemon
    /// restart (or the reboot itself) does not reset what an alert measures; the cordon alert takes the duration from
    /// Prometheus' own samples (min_over_time), which a scrape gap during the reboot does not break.
    /// </remarks>
    private static void WriteSignals(PrometheusTextWriter writer, NodeSignals signals)
    {
        writer.Family("nodedaemon_cordoned", "gauge",
            "1 while the node carries a cordon the daemon made (spec.unschedulable with the cordoned-by mark); 0 otherwise, an admin's cordon included.");
        writer.Sample("nodedaemon_cordoned", signals.CordonedByUs ? 1 : 0);

        writer.Family("nodedaemon_pool_halted", "gauge",
            "1 while the node waits for a slot because its pool is halted (too many nodes Degraded on its image); a sample only when the node is in a pool.");
        if (signals.Pool is { } pool)
        {
            writer.Sample("nodedaemon_pool_halted", signals.PoolHalted ? 1 : 0, ("pool", pool));
        }

        writer.Family("nodedaemon_rejected_image_info", "gauge",
            "The image the health gate rejected on this node (its rejected-image annotation): 1, the label says which; no sample when none is.");
        if (signals.RejectedImage is { } image)
        {
            writer.Sample("nodedaemon_rejected_image_info", 1, ("image", image));
        }
    }
}
