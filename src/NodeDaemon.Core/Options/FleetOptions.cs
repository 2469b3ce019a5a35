namespace NodeDaemon.Core.Options;

/// <summary>Settings for taking turns through Leases with the other nodes of a pool.</summary>
public sealed partial record FleetOptions
{
    /// <summary>Take a slot before cordoning; off means every node goes on its own.</summary>
    public bool Enabled { get; init; }

    /// <summary>Node label whose value names the pool.</summary>
    public string PoolLabel { get; init; } = NodeDaemonOptionsDefaults.PoolLabel;

    /// <summary>Slots of a pool: a count (<c>2</c>) or a percentage of its nodes (<c>10%</c>).</summary>
    public string MaxUnavailable { get; init; } = NodeDaemonOptionsDefaults.MaxUnavailable;

    /// <summary>Concurrent pulls of a pool: a count (<c>20</c>) or a percentage of its nodes (<c>4%</c>); <c>0</c> is unbounded.</summary>
    public string MaxStaging { get; init; } = NodeDaemonOptionsDefaults.MaxStaging;

    /// <summary>Namespace of the slot Leases.</summary>
    public string LeaseNamespace { get; init; } = NodeDaemonOptionsDefaults.LeaseNamespace;

    /// <summary>Degraded nodes on one desired image that stop the pool taking new slots.</summary>
    public int HaltAfterFailures { get; init; } = NodeDaemonOptionsDefaults.HaltAfterFailures;
}
