using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>
/// The pods on the node (name → uid) for the length of a drain: the plan's list, then one watch of the node's pods from
/// that list's resourceVersion, so an evicted pod is seen gone when its deletion happens instead of at the next poll.
/// </summary>
/// <remarks>
/// A drain polled the node's pods with one list per poll (6–10 lists a drain); the watch is one request, and the
/// kubelet keeps the same watch (<c>spec.nodeName</c>) open on every node anyway, so the server serves it from its watch
/// cache. A pod's node never changes, so ours, while it exists, is always in this set. Reconnecting, and listing again
/// when the version expired (410) or resuming keeps failing, is <see cref="ResourceWatch"/>'s. The watch starts with the
/// first pod waited on and ends when this is disposed, at the drain's end.
/// </remarks>
internal sealed class PodGoneWatch(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (DrainPod Pod, TaskCompletionSource Gone)> _waiters = new(StringComparer.Ordinal);
    private Dictionary<string, string> _present = new(StringComparer.Ordinal);
    private string _version = "";
    private Task? _watching;

    /// <summary>Starts from a list of the node's pods and its resourceVersion.</summary>
    public void Seed(JsonNode list)
    {
        lock (_gate)
        {
            _present = Read((list["items"] as JsonArray ?? []).OfType<JsonNode>());
            _version = NodeReader.Text(list["metadata"]?["resourceVersion"]);
        }
    }

    /// <summary>Completes when <paramref name="pod"/> is gone: not on the node any more (a GET would answer 404, or its
    /// name now belongs to a pod elsewhere), or its name carries another uid (a StatefulSet's replacement).</summary>
    /// <remarks>Graceful deletion ends when the grace period does; nothing is forced.</remarks>
    public Task WaitGoneAsync(DrainPod pod, CancellationToken cancellationToken)
    {
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _waiters[pod.Key] = (pod, gone);
            // Off this thread: the watch's first steps must not run inside the lock.
            var token = _stop.Token;
            _watching ??= Task.Run(() => FollowAsync(token), CancellationToken.None);
        }

        // Gone before it joined the wait (a pod that was not running goes at once): the watch has seen it already.
        Release();
        return gone.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Ends the watch, if it was started, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
        }

        if (_watching is { } watching)
        {
            await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    // Follows the node's pods from the seeded list until cancelled, releasing the waiters after every change.
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        string from;
        lock (_gate)
        {
            from = _version;
        }

        var watch = new ResourceWatch(api, options.Transport, time, logger, $"the pods on node {options.NodeName}");
        try
        {
            // Without a seeded version (a list that carried none) the watch lists first.
            await foreach (var change in watch.WatchAsync(KubePaths.PodsOnNode(options.NodeName),
                (version, timeout) => KubePaths.PodsOnNodeWatch(options.NodeName, version, timeout), cancellationToken, from: from).ConfigureAwait(false))
            {
                switch (change)
                {
                    case WatchEvent.Listed listed:
                        var present = Read(listed.Items);
                        lock (_gate)
                        {
                            _present = present;
                        }

                        break;
                    case WatchEvent.Changed one:
                        Apply(one.Type, one.Object);
                        break;
                }

                Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The drain ended.
        }
    }

    // Releases every waiter whose pod is gone.
    private void Release()
    {
        lock (_gate)
        {
            foreach (var (key, (pod, gone)) in _waiters.ToList())
            {
                if (!_present.TryGetValue(pod.Key, out var uid) || uid != pod.Uid)
                {
                    _waiters.Remove(key);
                    gone.TrySetResult();
                }
            }
        }
    }

    private void Apply(string type, JsonObject obj)
    {
        var (key, uid) = Identify(obj);
        lock (_gate)
        {
            switch (type)
            {
                case "ADDED" or "MODIFIED":
                    _present[key] = uid;
                    break;
                case "DELETED" when _present.TryGetValue(key, out var present) && present == uid:
                    _present.Remove(key);
                    break;
            }
        }
    }

    private static Dictionary<string, string> Read(IEnumerable<JsonNode> items)
    {
        var present = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var (key, uid) = Identify(item);
            present[key] = uid;
        }

        return present;
    }

    // A pod as DrainPod.Key names it (namespace/name), and the uid that tells a replacement of the same name apart.
    private static (string Key, string Uid) Identify(JsonNode pod)
    {
        var metadata = pod["metadata"];
        return ($"{NodeReader.Text(metadata?["namespace"])}/{NodeReader.Text(metadata?["name"])}", NodeReader.Text(metadata?["uid"]));
    }
}
