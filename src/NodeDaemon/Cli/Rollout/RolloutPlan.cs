using System.Text.Json.Serialization;

namespace NodeDaemon.Cli.Rollout;

/// <summary>What <c>rollout start</c> will do, shown before it writes: the image, each node, the slots, the windows.</summary>
internal sealed record RolloutPlan(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("nodes")] IReadOnlyList<PlannedNode> Nodes,
    [property: JsonPropertyName("slots")] IReadOnlyDictionary<string, int> Slots,
    [property: JsonPropertyName("maintenanceWindow")] string MaintenanceWindow)
{
    /// <summary>The nodes that will be annotated.</summary>
    [JsonIgnore]
    public IEnumerable<PlannedNode> ToAnnotate => Nodes.Where(n => n.Action == PlannedAction.Annotate);
}

/// <summary>What <c>rollout start</c> does to one node.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlannedAction>))]
internal enum PlannedAction
{
    /// <summary>Its desired image is set (and its previous one recorded).</summary>
    Annotate,

    /// <summary>It already runs (and wants) the image: left alone.</summary>
    AlreadyThere,

    /// <summary>It is annotated, but its <c>paused</c> annotation holds it until <c>resume</c>.</summary>
    AnnotatePaused,
}

/// <summary>One node of the plan.</summary>
internal sealed record PlannedNode(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("action")] PlannedAction Action,
    [property: JsonPropertyName("previousImage")] string PreviousImage,
    [property: JsonPropertyName("resourceVersion")] string ResourceVersion);
