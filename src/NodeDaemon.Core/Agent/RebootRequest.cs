namespace NodeDaemon.Core.Agent;

/// <summary>A reboot we asked for: how many so far for the target, from which boot, and when.</summary>
/// <param name="Attempts">Reboots requested for the target, this one included.</param>
/// <param name="FromBootId">The boot that was asked to end; a different boot id means the reboot happened.</param>
/// <param name="RequestedAt">When finalization was requested.</param>
public sealed record RebootRequest(int Attempts, string FromBootId, DateTimeOffset RequestedAt);
