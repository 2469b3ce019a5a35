using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Watch;

/// <summary>What a <see cref="ResourceWatch"/> saw: the whole list it (re)started from, or one change after it.</summary>
internal abstract record WatchEvent
{
    // Only the nested records derive from this: the set is closed.
    private WatchEvent()
    {
    }

    /// <summary>The list the watch starts from, at its start and again after the version expired (changes in between are folded in).</summary>
    /// <param name="Items">The listed objects.</param>
    public sealed record Listed(IReadOnlyList<JsonObject> Items) : WatchEvent;

    /// <summary>One object added, modified or deleted.</summary>
    /// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>.</param>
    /// <param name="Object">The object as of the change (for a deletion, its last state).</param>
    public sealed record Changed(string Type, JsonObject Object) : WatchEvent;

    /// <summary>The end of the state a streaming watch started with (<c>sendInitialEvents</c>): every object it selects has
    /// come as ADDED before this. <paramref name="Complete"/> is false when the server refused to stream it (no WatchList):
    /// the watch then goes on without the marker, and the state's end cannot be told.</summary>
    /// <param name="Complete">Whether the server marked the end of the initial state.</param>
    public sealed record Synced(bool Complete) : WatchEvent;
}
