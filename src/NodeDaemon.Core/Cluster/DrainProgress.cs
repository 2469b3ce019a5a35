namespace NodeDaemon.Core.Cluster;

/// <summary>How far a drain got, with one line for the node's <c>message</c> and the log.</summary>
/// <param name="Evicted">Pods whose eviction was accepted (or that were already gone).</param>
/// <param name="Total">Pods the drain has to move.</param>
/// <param name="WaitingOn">The pod (<c>namespace/name</c>) the drain waits on, if any.</param>
/// <param name="Line">E.g. <c>draining: 7/12 pods evicted, waiting on default/web-2 (PDB web: 1 healthy needed, 1 present)</c>.</param>
public sealed record DrainProgress(int Evicted, int Total, string? WaitingOn, string Line);
