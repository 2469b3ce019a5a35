namespace NodeDaemon.Sim.Fleet;

/// <summary>
/// An outside caller (an end-to-end test running <c>nodedaemon rollout start</c>) points the pool at its target instead of
/// the runner: the runner waits for every node's desired-image annotation, and keeps its API server up until the caller is done.
/// </summary>
/// <param name="DriveAsync">What the caller does against the running API server; the run ends only after it returned.</param>
public sealed record FleetExternalTarget(Func<FleetTarget, CancellationToken, Task> DriveAsync);

/// <summary>What an outside caller needs to point the pool at its target.</summary>
/// <param name="Kubeconfig">The admin's kubeconfig for the run's API server.</param>
/// <param name="Image">The target, <c>repository@sha256:…</c> (the bad image with <see cref="FleetSettings.BadImage"/>).</param>
/// <param name="PoolLabel">The label whose value names the pool (<c>fleet.poolLabel</c>).</param>
/// <param name="Pool">The pool's value of <paramref name="PoolLabel"/>.</param>
/// <param name="LeaseNamespace">Where the slot Leases live (<c>fleet.leaseNamespace</c>).</param>
public sealed record FleetTarget(string Kubeconfig, string Image, string PoolLabel, string Pool, string LeaseNamespace);
