using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Fleet;

/// <summary>The slot a node holds, and the digest it names as confirmed by the cluster.</summary>
/// <param name="Name">The slot's name.</param>
/// <param name="Digest">
/// The digest the slot names, as last read from or written to the cluster; null when that is not confirmed: the slot was
/// handed to the node and not taken up yet, or it is known only from the node's own memory of before a restart. A node
/// asks for its slot again (which confirms it and makes it name the staged digest) before it disrupts anything for it.
/// </param>
public sealed record HeldSlot(string Name, Digest? Digest);
