using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Events;

/// <summary>
/// Records core/v1 Events on the own Node, deduplicated as the kubelet does: a repeat of the same type, reason and
/// message bumps <c>count</c> and <c>lastTimestamp</c> on the event already written instead of creating another.
/// </summary>
/// <remarks>The node's uid comes from <c>knownUid</c> (the node the client last saw) when it knows one, else from a read.</remarks>
internal sealed partial class EventRecorder(ApiSender sender, KubeNodeClientOptions options, TimeProvider time, ILogger logger, Func<string?> knownUid) : IDisposable
{
    // The kubelet keeps 4096; a daemon with seven reasons needs far fewer.
    private const int CacheLimit = 256;

    private readonly Dictionary<(string Type, string Reason, string Message), (string Name, long Count)> _written = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _nodeUid;
    private long _lastStamp;

    /// <summary>Writes (or counts) one event.</summary>
    public async Task RecordAsync(NodeEventKind kind, string message, bool warning, CancellationToken cancellationToken)
    {
        var key = (warning ? "Warning" : "Normal", kind.ToString(), message);
        // One at a time: two repeats racing would both create, or both write the same count.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = Timestamp(time.GetUtcNow());
            if (_written.TryGetValue(key, out var seen))
            {
                var patch = new JsonObject { ["count"] = seen.Count + 1, ["lastTimestamp"] = now };
                var response = await sender.SendAsync(HttpMethod.Patch, KubePaths.Event(options.EventNamespace, seen.Name), patch, KubePaths.MergePatch, cancellationToken)
                    .ConfigureAwait(false);
                if (response.IsSuccess)
                {
                    _written[key] = (seen.Name, seen.Count + 1);
                    LogRecorded(kind.ToString(), message, seen.Count + 1);
                    return;
                }

                if (response.StatusCode != 404)
                {
                    throw new ClusterException($"event {seen.Name}: {response.Message}", response.StatusCode);
                }

                // Events expire (an hour by default): start a new one.
                _written.Remove(key);
            }

            _nodeUid ??= knownUid() is { Length: > 0 } uid ? uid : await GetNodeUidAsync(cancellationToken).ConfigureAwait(false);
            // The kubelet's naming (node.<unix nanoseconds in hex>), kept unique when the clock has not moved.
            _lastStamp = Math.Max((time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100, _lastStamp + 1);
            var name = string.Create(CultureInfo.InvariantCulture, $"{options.NodeName}.{_lastStamp:x}");
            await sender.SendOkAsync(HttpMethod.Post, KubePaths.Events(options.EventNamespace), Event(name, key, now), KubePaths.Json, cancellationToken).ConfigureAwait(false);
            if (_written.Count >= CacheLimit)
            {
                _written.Clear();
            }

            _written[key] = (name, 1);
            LogRecorded(kind.ToString(), message, 1);
        }
        finally
        {
            _gate.Release();
        }
    }

    private JsonObject Event(string name, (string Type, string Reason, string Message) key, string now) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = options.EventNamespace },
        ["involvedObject"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = options.NodeName, ["uid"] = _nodeUid },
        ["reason"] = key.Reason,
        ["message"] = key.Message,
        ["type"] = key.Type,
        ["source"] = new JsonObject { ["component"] = options.Component, ["host"] = options.NodeName },
        ["reportingComponent"] = options.Component,
        ["reportingInstance"] = options.NodeName,
        ["firstTimestamp"] = now,
        ["lastTimestamp"] = now,
        ["count"] = 1,
    };

    private static string Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private async Task<string> GetNodeUidAsync(CancellationToken cancellationToken)
    {
        var node = await sender.SendOkAsync(HttpMethod.Get, KubePaths.Node(options.NodeName), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        return Annotations.NodeReader.Text(node["metadata"]?["uid"]);
    }
}
