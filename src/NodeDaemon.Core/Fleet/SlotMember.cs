namespace NodeDaemon.Core.Fleet;

/// <summary>A node of a pool, as the slots of that pool know it.</summary>
/// <param name="NodeName">The node's name; a slot names its holder by it.</param>
/// <param name="Pool">The value of the node's pool label (<c>fleet.poolLabel</c>); may be empty, as for <c>node-role.kubernetes.io/worker</c>.</param>
public sealed record SlotMember(string NodeName, string Pool);
