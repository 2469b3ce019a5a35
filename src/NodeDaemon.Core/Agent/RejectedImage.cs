using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>An image the daemon does not stage again: the health gate failed on it and it was rolled back, or the host fell back from it.</summary>
/// <remarks>Kept apart from the notes about the target, so it outlives a restart, a reboot and the desired image being removed;
/// it ends when the desired image names another digest, or when an admin removes the node's <c>rejected-image</c> annotation.</remarks>
/// <param name="Reference">The digest reference written to the node's <c>rejected-image</c> annotation (<c>repo@sha256:…</c>).</param>
/// <param name="Digest">The rejected digest.</param>
/// <param name="Marked">The node was seen carrying the annotation: from then on, its absence means an admin cleared it.</param>
public sealed record RejectedImage(string Reference, Digest Digest, bool Marked = false);
