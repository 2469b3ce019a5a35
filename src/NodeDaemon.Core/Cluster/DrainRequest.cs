using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Cluster;

/// <summary>One drain of the own node, with the policies that decide which pods may go.</summary>
/// <param name="Options">Timeout, concurrency, emptyDir and unreplicated policies, blocking-pod selector, grace period.</param>
/// <param name="TimeLeft">What is left of <see cref="DrainOptions.Timeout"/> for a drain that started before (a restart
/// mid-drain); null: the whole timeout. Zero or less: the drain has timed out already.</param>
public sealed record DrainRequest(DrainOptions Options, TimeSpan? TimeLeft = null);
