using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Images;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>A node of the pool, reduced to what slot decisions read: its reported state and the digests it names.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="State">The <c>state</c> annotation (<c>Done</c>, <c>Working</c>, <c>Degraded</c>), or empty.</param>
/// <param name="CurrentDigest">The digest of the <c>current-image</c> annotation, or null.</param>
/// <param name="DesiredDigest">The digest of the <c>desired-image</c> annotation, or null (none, or a tag).</param>
internal sealed record PoolNode(string Name, string State, string? CurrentDigest, string? DesiredDigest)
{
    /// <summary>The <c>phase</c> annotation (<c>WaitingForSlot</c>, …), or empty.</summary>
    public string Phase { get; init; } = "";

    /// <summary>The node as the protocol's <paramref name="keys"/> describe it.</summary>
    public static PoolNode Read(JsonNode node, AnnotationKeys keys)
    {
        var annotations = node["metadata"]?["annotations"];
        return new PoolNode(
            NodeReader.Text(node["metadata"]?["name"]),
            NodeReader.Text(annotations?[keys.State]),
            DigestOf(NodeReader.Text(annotations?[keys.CurrentImage])),
            DigestOf(NodeReader.Text(annotations?[keys.DesiredImage])))
        {
            Phase = NodeReader.Text(annotations?[keys.Phase]),
        };
    }

    /// <summary>The canonical digest after the last '@' of a pullspec, or null when there is none or it is malformed.</summary>
    /// <remarks>The daemon writes <c>name@sha256:…</c>; the MCO's keys hold full pullspecs; both end in the digest.</remarks>
    public static string? DigestOf(string pullspec)
    {
        var at = pullspec.LastIndexOf('@');
        return at >= 0 && Digest.TryParse(pullspec[(at + 1)..], out var digest, out _) ? digest.ToString() : null;
    }
}
