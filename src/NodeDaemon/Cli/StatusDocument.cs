using System.Text.Json.Serialization;
using NodeDaemon.Core.Host;

namespace NodeDaemon.Cli;

/// <summary>The stable JSON form of <c>nodedaemon status --json</c> (documented in docs/cli.md).</summary>
internal sealed record StatusDocument(
    [property: JsonPropertyName("booted")] DeploymentDocument Booted,
    [property: JsonPropertyName("staged")] DeploymentDocument? Staged,
    [property: JsonPropertyName("rollback")] DeploymentDocument? Rollback,
    [property: JsonPropertyName("transaction")] string? Transaction,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings)
{
    /// <summary>The node as the API server has it; its <c>error</c> says why when it could not be read.</summary>
    [JsonPropertyName("node")]
    public NodeStatus? Node { get; init; }

    /// <summary>Builds the document from a host status.</summary>
    public static StatusDocument From(HostStatus status) => new(
        DeploymentDocument.From(status.Booted),
        status.Staged is { } staged ? DeploymentDocument.From(staged) : null,
        status.Rollback is { } rollback ? DeploymentDocument.From(rollback) : null,
        status.ActiveTransaction,
        status.Warnings);
}

/// <summary>One deployment in <see cref="StatusDocument"/>.</summary>
internal sealed record DeploymentDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("checksum")] string Checksum,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("timestamp")] DateTimeOffset? Timestamp,
    [property: JsonPropertyName("origin")] string? Origin,
    [property: JsonPropertyName("pinned")] bool Pinned)
{
    /// <summary>The digest the image reference pins when it is not the recorded one: a multi-arch index, whose platform
    /// manifest is <see cref="Digest"/>; null otherwise.</summary>
    [JsonPropertyName("indexDigest")]
    public string? IndexDigest { get; init; }

    /// <summary>Builds the entry from a deployment.</summary>
    public static DeploymentDocument From(HostDeployment deployment) => new(
        deployment.Id,
        deployment.ContainerImageReference,
        deployment.ImageDigest?.ToString(),
        deployment.Checksum,
        deployment.Version,
        deployment.Timestamp,
        deployment.Origin,
        deployment.Pinned)
    {
        IndexDigest = IndexOf(deployment)?.ToString(),
    };

    /// <summary>The index digest <paramref name="deployment"/>'s reference pins, when the host recorded another (its platform manifest).</summary>
    public static Core.Images.Digest? IndexOf(HostDeployment deployment) =>
        deployment.Image?.Digest is { } pinned && deployment.ImageDigest is { } recorded && pinned != recorded ? pinned : null;
}

/// <summary>Source-generated serialization for the status document (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
