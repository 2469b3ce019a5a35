namespace NodeDaemon.Core.Health;

/// <summary>What the health gate needs to know about the boot it judges.</summary>
/// <param name="NodeName">The node the daemon runs on (the only one it reads).</param>
/// <param name="BootTime">When this boot started: evidence older than this (a stale Ready) does not count.</param>
/// <param name="GateStarted">When the gate began to wait on this boot: the timeout counts from here.</param>
public sealed record HealthCheckContext(string NodeName, DateTimeOffset BootTime, DateTimeOffset GateStarted);
