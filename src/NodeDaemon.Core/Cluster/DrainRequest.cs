using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Cluster;

/// <summary>One drain of the own node, with the policies that decide which pods may go.</summary>
/// <param name="Options">Timeout, concurrency, emptyDir and unreplicated policies, blocking-pod selector, grace period.</param>
public sealed record DrainRequest(DrainOptions Options);
