using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>One change to the store, as watchers and controllers see it.</summary>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>.</param>
/// <param name="Resource">The resource the object belongs to.</param>
/// <param name="Item">The object after the change (for DELETED: the last state, with the deletion's resourceVersion).</param>
/// <param name="Previous">The object before the change, for MODIFIED and DELETED.</param>
/// <param name="ResourceVersion">The global resourceVersion of this change.</param>
public sealed record StoreEvent(string Type, ResourceType Resource, JsonObject Item, JsonObject? Previous, long ResourceVersion);
