using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Fleet;

namespace NodeDaemon.Cli.Rollout;

/// <summary>One Node as the rollout verbs read it: its pool, version and the protocol's annotations.</summary>
internal sealed record RolloutNode(string Name, string Pool, string ResourceVersion, string DesiredImage, string CurrentImage, string State, string Phase,
    string Reason, string Message, bool Paused)
{
    /// <summary>The digest the desired image pins, or null (none, or a tag).</summary>
    public string? DesiredDigest => PoolNode.DigestOf(DesiredImage);

    /// <summary>The digest of the booted image the daemon reports, or null.</summary>
    public string? CurrentDigest => PoolNode.DigestOf(CurrentImage);

    /// <summary>The image the health gate rejected on this node (<c>rejected-image</c>), or empty.</summary>
    public string RejectedImage { get; init; } = "";

    /// <summary>The desired image before <c>rollout start</c> (<c>rollout-previous-image</c>), or null when start never wrote it.</summary>
    public string? PreviousImage { get; init; }

    /// <summary>When <c>rollout start</c> annotated the node, or null.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The node as the slot rules read it (one home for the halt).</summary>
    public PoolNode AsPoolNode() => new(Name, State, CurrentDigest, DesiredDigest) { Phase = Phase };

    /// <summary>Reads a Node (or its metadata) with the settings' keys.</summary>
    public static RolloutNode Read(JsonNode node, RolloutSettings settings)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(settings);
        var metadata = node["metadata"];
        var annotations = metadata?["annotations"];
        string A(string key) => NodeReader.Text(annotations?[key]);
        var previous = annotations is JsonObject o && o.ContainsKey(settings.PreviousImage) ? A(settings.PreviousImage) : null;
        return new RolloutNode(NodeReader.Text(metadata?["name"]), NodeReader.Text(metadata?["labels"]?[settings.PoolLabel]),
            NodeReader.Text(metadata?["resourceVersion"]), A(settings.Keys.DesiredImage), A(settings.Keys.CurrentImage), A(settings.Keys.State),
            A(settings.Keys.Phase), A(settings.Keys.Reason), A(settings.Keys.Message),
            string.Equals(A(settings.Keys.Paused).Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            RejectedImage = A(settings.RejectedImage),
            PreviousImage = previous,
            StartedAt = DateTimeOffset.TryParse(A(settings.StartedAt), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        };
    }
}
