namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>A slot one acquire pass may try to take.</summary>
/// <param name="Name">The Lease's name.</param>
/// <param name="Existing">The Lease as listed (PUT on its resourceVersion), or null when it is missing (create).</param>
/// <param name="TakeoverReason">Why its holder may be replaced, or null for a free slot.</param>
internal sealed record SlotCandidate(string Name, SlotLease? Existing, string? TakeoverReason);
