using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Agent;

/// <summary>A slot request that got no slot (the pool is full or halted): what to tell people, and when to ask again.</summary>
/// <param name="Message">The answer's line for the node's <c>message</c>, e.g. <c>waiting for a slot: all 2 slots are held</c>.</param>
/// <param name="Digest">The digest the refused request was for; a refusal for another digest does not hold back a new request.</param>
/// <param name="RetryAt">Not before this instant is the slot asked for again (the executor adds jitter, so a pool does not ask in step).</param>
public sealed record SlotRefusal(string Message, Digest Digest, DateTimeOffset RetryAt);
