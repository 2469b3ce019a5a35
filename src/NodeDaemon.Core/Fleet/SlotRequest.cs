namespace NodeDaemon.Core.Fleet;

/// <summary>A node asking for a slot of its pool, to update to one desired image.</summary>
/// <param name="Member">Who asks, in which pool.</param>
/// <param name="DesiredDigest">
/// The desired image's manifest digest, <c>sha256:&lt;64 hex&gt;</c>: the slot records it, so that others can tell a
/// holder that finished this very image (and may be replaced) from one still working on it, and nodes Degraded on
/// it halt the pool.
/// </param>
public sealed record SlotRequest(SlotMember Member, string DesiredDigest);
