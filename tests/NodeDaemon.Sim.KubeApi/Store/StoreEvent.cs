using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Handlers;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>One change to the store, as watchers and controllers see it.</summary>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>.</param>
/// <param name="Resource">The resource the object belongs to.</param>
/// <param name="Item">The object after the change (for DELETED: the last state, with the deletion's resourceVersion); never changed after.</param>
/// <param name="Previous">The object before the change, for MODIFIED and DELETED.</param>
/// <param name="ResourceVersion">The global resourceVersion of this change.</param>
public sealed record StoreEvent(string Type, ResourceType Resource, JsonObject Item, JsonObject? Previous, long ResourceVersion)
{
    /// <summary>
    /// <see cref="Item"/> as it goes on the wire, written once when the change is made: hundreds of watchers of one
    /// resource (a pool's Leases) each send it, and a copy and a serialization per watcher was most of the fan-out's cost.
    /// </summary>
    public byte[] Json { get; } = System.Text.Encoding.UTF8.GetBytes(Item.ToJsonString(HttpIo.Wire));
}
