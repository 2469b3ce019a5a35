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
/// cache. A pod's node never changes, so ours, while it exists, is always in this set. When the watch cannot be kept
/// (410, a broken stream, an error answer) the pods are listed again after a backoff, and watched from that list.
/// </remarks>
internal sealed partial class PodGoneWatch(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private Dictionary<string, string> _present = new(StringComparer.Ordinal);
    private string _version = "";

    /// <summary>Starts from a list of the node's pods and its resourceVersion.</summary>
    public void Seed(JsonNode list)
    {
        lock (_gate)
        {
            _present = Read(list);
            _version = NodeReader.Text(list["metadata"]?["resourceVersion"]);
        }
    }

    /// <summary>Whether <paramref name="pod"/> is gone: not on the node any more, or its name now carries another uid.</summary>
    public bool IsGone(DrainPod pod)
    {
        lock (_gate)
        {
            return !_present.TryGetValue(pod.Key, out var uid) || uid != pod.Uid;
        }
    }

    /// <summary>Follows the node's pods until cancelled, calling <paramref name="changed"/> after every change.</summary>
    public async Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.Transport.BackoffInitial, options.Transport.BackoffMax, time);
        try
        {
            while (true)
            {
                string version;
                lock (_gate)
                {
                    version = _version;
                }

                string? problem;
                try
                {
                    problem = version.Length == 0 ? "no resourceVersion to watch from" : await WatchAsync(version, changed, backoff, cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Whatever breaks the watch (an odd event, say), the drain must still see its pods go.
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    problem = $"watch: {e.Message}";
                }

                if (problem is null)
                {
                    // A clean end (timeoutSeconds): on from the last version seen.
                    continue;
                }

                // After a pause even on 410: a server that answers every watch with it must not get a list in a tight loop.
                LogRelisting(options.NodeName, problem);
                await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
                await RelistAsync(cancellationToken).ConfigureAwait(false);
                changed();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The drain ended.
        }
    }

    private const string Expired = "the watch expired (410)";

    /// <summary>One watch connection; null when the server ended it cleanly, else why it has to be listed again.</summary>
    private async Task<string?> WatchAsync(string version, Action changed, Backoff backoff, CancellationToken cancellationToken)
    {
        var timeout = (int)Math.Max(1, options.Transport.WatchTimeout.TotalSeconds);
        var bound = new CancellationTokenSource(options.Transport.WatchTimeout + options.Transport.RequestTimeout, time);
        var life = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        WatchConnection connection;
        HttpResponseMessage? response = null;
        try
        {
            response = await api.OpenStreamAsync(KubePaths.PodsOnNodeWatch(options.NodeName, version, timeout), life.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                life.Dispose();
                bound.Dispose();
                return status == 410 ? Expired : $"watch: HTTP {status}";
            }

            // Owned by the connection from here on.
            connection = await WatchConnection.OpenAsync(response, life, bound).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            response?.Dispose();
            life.Dispose();
            bound.Dispose();
            return $"watch: {e.Message}";
        }

        using (connection)
        {
            while (true)
            {
                JsonObject? item;
                try
                {
                    item = await connection.NextAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    return $"watch stream broke: {e.Message}";
                }

                if (item is null)
                {
                    // A clean end (timeoutSeconds). One that carried nothing may be a server shedding load: a pause first.
                    if (connection.Events == 0)
                    {
                        await Task.Delay(backoff.Next(), time, cancellationToken).ConfigureAwait(false);
                    }

                    return null;
                }

                var type = NodeReader.Text(item["type"]);
                var obj = item["object"] as JsonObject;
                if (type == "ERROR")
                {
                    return NodeReader.WholeNumber(obj?["code"]) == 410 ? Expired : $"watch error: {NodeReader.Text(obj?["message"])}";
                }

                backoff.Reset();
                Apply(type, obj);
                if (type is "ADDED" or "MODIFIED" or "DELETED")
                {
                    changed();
                }
            }
        }
    }

    private void Apply(string type, JsonNode? obj)
    {
        var metadata = obj?["metadata"];
        var key = $"{NodeReader.Text(metadata?["namespace"])}/{NodeReader.Text(metadata?["name"])}";
        var uid = NodeReader.Text(metadata?["uid"]);
        lock (_gate)
        {
            if (NodeReader.Text(metadata?["resourceVersion"]) is { Length: > 0 } version)
            {
                _version = version;
            }

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

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.Transport.BackoffInitial, options.Transport.BackoffMax, time);
        while (true)
        {
            try
            {
                var answer = await api.SendAsync(HttpMethod.Get, KubePaths.PodsOnNode(options.NodeName), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
                if (answer is { IsSuccess: true, Body: { } body })
                {
                    Seed(body);
                    return;
                }
            }
#pragma warning disable CA1031 // Unreachable for now, or an answer that is not a list: tried again after the backoff.
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogRelisting(options.NodeName, $"list: {e.Message}");
            }

            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> Read(JsonNode list)
    {
        var present = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonNode>())
        {
            var metadata = item["metadata"];
            present[$"{NodeReader.Text(metadata?["namespace"])}/{NodeReader.Text(metadata?["name"])}"] = NodeReader.Text(metadata?["uid"]);
        }

        return present;
    }
}
