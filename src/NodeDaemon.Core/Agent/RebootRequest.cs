namespace NodeDaemon.Core.Agent;

/// <summary>A reboot we asked for: how many so far for the target, from which boot, and when.</summary>
/// <param name="Attempts">Reboots requested for the target, this one included.</param>
/// <param name="FromBootId">The boot that was asked to end; a different boot id means the reboot happened.</param>
/// <param name="RequestedAt">When finalization was requested.</param>
/// <param name="Accepted">The host answered the request: the reboot is under way. False while the answer is
/// outstanding, so a crash between our note and the host's answer is told apart from a reboot that is late.</param>
/// <param name="Refusal">The host's error when it refused to finalize.</param>
/// <param name="InhibitedSince">When a <c>block</c>-mode shutdown inhibitor first refused this request (before the
/// unlock, so nothing changed); null when it was not refused for that. Kept across the retries so the wait is bounded.</param>
/// <param name="Monotonic">The boot's monotonic clock when finalization was requested (in <paramref name="FromBootId"/>);
/// null in notes from before it was kept, which then fall back on the wall clock.</param>
/// <param name="InhibitedMonotonic">The boot's monotonic clock at <paramref name="InhibitedSince"/>, so that the inhibitor
/// wait is measured on it; null when not known.</param>
public sealed record RebootRequest(int Attempts, string FromBootId, DateTimeOffset RequestedAt, bool Accepted = false, string? Refusal = null,
    DateTimeOffset? InhibitedSince = null, TimeSpan? Monotonic = null, TimeSpan? InhibitedMonotonic = null);
