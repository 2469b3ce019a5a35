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
    private byte[]? _json;

    /// <summary>
    /// <see cref="Item"/> as it goes on the wire, written once, by the first watcher that sends it (outside the store's
    /// lock; a change no watch selects is never written): hundreds of watchers of one resource (a pool's Leases) each
    /// send it, and a copy and a serialization per watcher was most of the fan-out's cost.
    /// </summary>
    /// <remarks>Two watchers may both write it at first; both get the same bytes.</remarks>
    public byte[] Json => _json ??= System.Text.Encoding.UTF8.GetBytes(Item.ToJsonString(HttpIo.Wire));
}
