using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Watch;

/// <summary>
/// Lists the own node, then watches it from the listed resourceVersion: reconnects (with jittered backoff after
/// errors) when a stream ends, and lists again when the version expired (410). Yields each new version once.
/// </summary>
internal sealed partial class NodeWatcher(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The node now, then every change, until cancelled.</summary>
    public async IAsyncEnumerable<NodeSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.BackoffInitial, options.BackoffMax, time);
        string? yielded = null;
        while (true)
        {
            var (listed, version, problem) = await ListAsync(cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                await WaitAsync(backoff, problem, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (listed is not null && listed.ResourceVersion != yielded)
            {
                yielded = listed.ResourceVersion;
                yield return listed;
            }

            // Watch from the listed version until it expires; each turn is one connection.
            var expired = false;
            while (!expired)
            {
                var (connection, openProblem, gone) = await OpenAsync(version, cancellationToken).ConfigureAwait(false);
                if (gone)
                {
                    expired = true;
                    break;
                }

                if (connection is null)
                {
                    await WaitAsync(backoff, openProblem!, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using (connection)
                {
                    while (true)
                    {
                        var (item, readProblem) = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
                        if (readProblem is not null)
                        {
                            await WaitAsync(backoff, readProblem, cancellationToken).ConfigureAwait(false);
                            break;
                        }

                        if (item is null)
                        {
                            // A clean end (timeoutSeconds): reconnect at once. A stream that ended with nothing on it
                            // may be a server shedding load, so that one waits a little.
                            if (connection.Events == 0)
                            {
                                await Task.Delay(backoff.Next(), time, cancellationToken).ConfigureAwait(false);
                            }

                            break;
                        }

                        var type = NodeReader.Text(item["type"]);
                        var obj = item["object"];
                        if (type == "ERROR")
                        {
                            var code = obj?["code"]?.GetValue<int>() ?? 0;
                            if (code == 410)
                            {
                                expired = true;
                                break;
                            }

                            await WaitAsync(backoff, $"watch error {code}: {NodeReader.Text(obj?["message"])}", cancellationToken).ConfigureAwait(false);
                            break;
                        }

                        var itemVersion = NodeReader.Text(obj?["metadata"]?["resourceVersion"]);
                        if (itemVersion.Length > 0)
                        {
                            version = itemVersion;
                        }

                        backoff.Reset();
                        if (type is "ADDED" or "MODIFIED" && obj is not null && itemVersion != yielded)
                        {
                            yielded = itemVersion;
                            yield return NodeReader.Read(obj);
                        }
                    }
                }
            }

            LogRelisting(options.NodeName, version);
        }
    }

    private async Task<(NodeSnapshot? Node, string Version, string? Problem)> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await api.SendAsync(HttpMethod.Get, KubePaths.NodeList(options.NodeName), null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess || response.Body is null)
            {
                return (null, "", $"list: {response.StatusCode} {response.Message}");
            }

            var items = response.Body["items"] as JsonArray;
            var node = items is { Count: > 0 } && items[0] is { } first ? NodeReader.Read(first) : null;
            return (node, NodeReader.Text(response.Body["metadata"]?["resourceVersion"]), null);
        }
        catch (HttpRequestException e)
        {
            return (null, "", $"list: {Describe(e)}");
        }
    }

    private async Task<(WatchConnection? Connection, string? Problem, bool Gone)> OpenAsync(string version, CancellationToken cancellationToken)
    {
        // The server ends the stream after timeoutSeconds; one that outlives that by a request timeout is dead.
        CancellationTokenSource? bound = new(options.WatchTimeout + options.RequestTimeout, time);
        CancellationTokenSource? life = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        HttpResponseMessage? response = null;
        try
        {
            var timeout = (int)Math.Max(1, options.WatchTimeout.TotalSeconds);
            response = await api.OpenStreamAsync(KubePaths.NodeWatch(options.NodeName, version, timeout), life.Token).ConfigureAwait(false);
            if ((int)response.StatusCode == 410)
            {
                return (null, null, true);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, $"watch: HTTP {(int)response.StatusCode}", false);
            }

            var connection = await WatchConnection.OpenAsync(response, life, bound).ConfigureAwait(false);
            (response, life, bound) = (null, null, null);
            return (connection, null, false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, $"watch: {Describe(e)}", false);
        }
        finally
        {
            // Owned by the connection once it is open; released here on every other way out.
            response?.Dispose();
            life?.Dispose();
            bound?.Dispose();
        }
    }

    private static async Task<(JsonObject? Item, string? Problem)> ReadAsync(WatchConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return (await connection.NextAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (null, $"watch stream broke: {Describe(e)}");
        }
    }

    // HttpClient's own message ("an error occurred while sending the request") hides the cause one level down.
    private static string Describe(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private Task WaitAsync(Backoff backoff, string problem, CancellationToken cancellationToken)
    {
        var delay = backoff.Next();
        LogReconnecting(options.NodeName, problem, delay);
        return Task.Delay(delay, time, cancellationToken);
    }

    [LoggerMessage((int)Core.Diagnostics.LogEventId.NodeWatchReconnecting, LogLevel.Warning,
        "watch of node {NodeName}: {Problem}; reconnecting in {Delay}")]
    private partial void LogReconnecting(string nodeName, string problem, TimeSpan delay);

    [LoggerMessage((int)Core.Diagnostics.LogEventId.NodeWatchRelisting, LogLevel.Information,
        "watch of node {NodeName} expired at resourceVersion {ResourceVersion}; listing again")]
    private partial void LogRelisting(string nodeName, string resourceVersion);
}
