using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes;

namespace NodeDaemon.Cli;

/// <summary>What <c>nodedaemon status</c> shows of the Node object: the desired image and the reported state.</summary>
internal sealed record NodeStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("desiredImage")] string? DesiredImage,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("phase")] string? Phase,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("error")] string? Error)
{
    /// <summary>How long the API server gets to answer: status is for a person at a prompt.</summary>
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>Reads the node once, without the client's retries; an unreachable API is reported, not fatal.</summary>
    public static async Task<NodeStatus> ReadAsync(NodeDaemonOptions options, CancellationToken cancellationToken)
    {
        var keys = AnnotationKeys.For(options.Protocol, options.AnnotationPrefix);
        try
        {
            using var client = KubeNodeClient.Create(options.Kubeconfig,
                KubeNodeClientOptions.From(options) with { Transport = new() { WriteAttempts = 1, RequestTimeout = s_timeout, BackoffMax = TimeSpan.Zero } },
                TimeProvider.System, NullLogger.Instance);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            var node = await client.GetAsync(timeout.Token).ConfigureAwait(false);
            return new NodeStatus(node.Name, node.Annotation(keys.DesiredImage), node.Annotation(keys.State), node.Annotation(keys.Phase),
                node.Annotation(keys.Message), node.Annotation(keys.Reason), null);
        }
#pragma warning disable CA1031 // Anything that stops the read is shown to the person as the reason; status still prints the host.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new NodeStatus(options.NodeName, null, null, null, null, null, e.Message);
        }
    }
}
