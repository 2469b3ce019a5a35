using System.Text.Json.Serialization;

namespace NodeDaemon.Cli.Rollout;

/// <summary>Where a node is in the rollout, one bucket each: the counts of <c>rollout status</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeProgress>))]
internal enum NodeProgress
{
    /// <summary>Booted on its desired image (or has none) and reports Done.</summary>
    Done,

    /// <summary>Pulling and staging the image.</summary>
    Staging,

    /// <summary>Not started, staged and waiting for its window, or waiting for a slot.</summary>
    Waiting,

    /// <summary>Cordoned and draining.</summary>
    Draining,

    /// <summary>Rebooting into the image.</summary>
    Rebooting,

    /// <summary>Booted; the health gate runs.</summary>
    Verifying,

    /// <summary>Gave up; its reason says why.</summary>
    Degraded,

    /// <summary>Held by the admin's <c>paused</c> annotation before it is done.</summary>
    Paused,
}

/// <summary>How a pool's rollout stands: what <c>--watch</c> waits for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutOutcome>))]
internal enum RolloutOutcome
{
    /// <summary>Nodes are still on their way.</summary>
    Progressing,

    /// <summary>Every node is Done on its desired image.</summary>
    Converged,

    /// <summary>The pool is halted (enough nodes Degraded on one image), or nothing is left in progress but Degraded nodes.</summary>
    Failed,
}

/// <summary><c>rollout status</c>: one block per pool.</summary>
internal sealed record RolloutView(
    [property: JsonPropertyName("poolLabel")] string PoolLabel,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("pools")] IReadOnlyList<PoolView> Pools);

/// <summary>One pool's rollout: counts, slot holders, the halt, rejected images, the ETA.</summary>
internal sealed record PoolView(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("targets")] IReadOnlyList<TargetView> Targets,
    [property: JsonPropertyName("counts")] IReadOnlyDictionary<string, int> Counts,
    [property: JsonPropertyName("slotHolders")] IReadOnlyList<SlotHolderView> SlotHolders,
    [property: JsonPropertyName("halt")] HaltView? Halt,
    [property: JsonPropertyName("degraded")] IReadOnlyList<FailedNodeView> Degraded,
    [property: JsonPropertyName("rejectedImages")] IReadOnlyList<RejectedImageView> RejectedImages,
    [property: JsonPropertyName("etaSeconds")] double? EtaSeconds,
    [property: JsonPropertyName("outcome")] RolloutOutcome Outcome,
    [property: JsonPropertyName("nodeProgress")] IReadOnlyList<NodeLine> NodeProgress)
{
    /// <summary>How many nodes are Done.</summary>
    [JsonIgnore]
    public int Done => Counts.TryGetValue(nameof(Rollout.NodeProgress.Done), out var done) ? done : 0;
}

/// <summary>A desired image of the pool and how many nodes name it.</summary>
internal sealed record TargetView([property: JsonPropertyName("image")] string Image, [property: JsonPropertyName("nodes")] int Nodes);

/// <summary>A node holding one of the pool's slots, what it does and since when.</summary>
internal sealed record SlotHolderView(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("lease")] string Lease,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("heldSeconds")] double? HeldSeconds);

/// <summary>The halt: the digest the pool stopped on and the nodes that failed on it.</summary>
internal sealed record HaltView(
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("failed")] IReadOnlyList<FailedNodeView> Failed);

/// <summary>A Degraded node and the first line of its reason.</summary>
internal sealed record FailedNodeView([property: JsonPropertyName("node")] string Node, [property: JsonPropertyName("reason")] string Reason);

/// <summary>An image the health gate rejected, and on which nodes.</summary>
internal sealed record RejectedImageView([property: JsonPropertyName("image")] string Image, [property: JsonPropertyName("nodes")] IReadOnlyList<string> Nodes);

/// <summary>One node's bucket and phase, for the JSON form and <c>explain</c>.</summary>
internal sealed record NodeLine(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("progress")] NodeProgress Progress,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>What this CLI knows better than the daemon's last message, e.g. that a waiting node waits on the pool's halt
    /// (its message may still say the slots were all held when it last asked); empty otherwise.</summary>
    [JsonPropertyName("note")]
    public string Note { get; init; } = "";
}
