using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Watch;

/// <summary>The own node, watched (<see cref="ResourceWatch"/>) from its current state; yields each new version once.</summary>
/// <remarks>No list first: the watch opened without a resourceVersion sends the node as ADDED, so each start of the daemon
/// (and its start after every reboot) costs one request, not two.</remarks>
internal sealed class NodeWatcher(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The node now, then every change, until cancelled.</summary>
    public async IAsyncEnumerable<NodeSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watch = new ResourceWatch(api, options.Transport, time, logger, $"node {options.NodeName}");
        string? yielded = null;
        await foreach (var change in watch.WatchAsync(KubePaths.NodeList(options.NodeName),
            (version, timeout) => KubePaths.NodeWatch(options.NodeName, version, timeout), cancellationToken, noList: true).ConfigureAwait(false))
        {
            var node = change switch
            {
                WatchEvent.Listed { Items: [var first, ..] } => first,
                WatchEvent.Changed { Type: "ADDED" or "MODIFIED" } changed => changed.Object,
                _ => null,
            };
            var version = NodeReader.Text(node?["metadata"]?["resourceVersion"]);
            if (node is not null && version != yielded)
            {
                yielded = version;
                yield return NodeReader.Read(node);
            }
        }
    }
}
