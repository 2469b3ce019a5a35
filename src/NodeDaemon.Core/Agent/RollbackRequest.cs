using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>The automatic rollback we asked for after the health gate failed on a target: at most one per target.</summary>
/// <param name="From">The target's digest that failed the gate: what is rejected (the desired digest; for a tag, the one booted).</param>
/// <param name="FromReference">Its digest reference (<c>repo@sha256:…</c>), for the rejected mark.</param>
/// <param name="Reason">The gate's reason, for the Degraded reason after the rollback boot.</param>
/// <param name="PreviousChecksum">The ostree commit of the deployment the rollback is to boot (the host's rollback deployment when asked).</param>
/// <param name="PreviousDigest">That deployment's image digest; null when it is not a container image.</param>
/// <param name="FromBootId">The boot that was asked to end; a different boot id means the rollback reboot happened.</param>
/// <param name="RequestedAt">When the rollback was asked for.</param>
/// <param name="Monotonic">The boot's monotonic clock then; null when not known.</param>
/// <param name="Accepted">The host answered: the previous deployment is the default and the reboot was asked of logind.</param>
public sealed record RollbackRequest(Digest From, string FromReference, string Reason, string PreviousChecksum, Digest? PreviousDigest, string FromBootId,
    DateTimeOffset RequestedAt, TimeSpan? Monotonic = null, bool Accepted = false);
