using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Watch;

/// <summary>
/// The list-then-watch loop that KubernetesClient.Aot lacks: lists, watches from the listed resourceVersion, reconnects
/// (with jittered backoff after errors) when a stream ends, and lists again when the version expired (410).
/// </summary>
/// <param name="api">The transport.</param>
/// <param name="options">Watch timeout, request timeout and backoff.</param>
/// <param name="time">The clock of every delay.</param>
/// <param name="logger">Where reconnects and relists are told.</param>
/// <param name="what">What is watched, for the log: <c>node worker-1</c>.</param>
internal sealed partial class ResourceWatch(KubeApi api, ApiTransportOptions options, TimeProvider time, ILogger logger, string what)
{
    /// <summary>Failed connections in a row, with no event between, after which the watch lists (or starts without a version) again.</summary>
    internal const int FailedResumesBeforeAfresh = 3;

    /// <summary>The annotation on the BOOKMARK that ends a streaming list's initial state (apimachinery
    /// <c>metav1.InitialEventsAnnotationKey</c>).</summary>
    internal const string InitialEventsEnd = "k8s.io/initial-events-end";

    /// <summary>
    /// The list at <paramref name="listPath"/>, then every change from <paramref name="watchPath"/>(version, timeoutSeconds),
    /// until cancelled. With <paramref name="from"/> (the version of a list the caller has just read) the first list is
    /// skipped: the watch starts there, and lists only if that version has expired. With <paramref name="noList"/> it
    /// never lists: a watch opened without a resourceVersion starts with every object it selects as ADDED (the API's
    /// "get state and start at most recent"), which for one object is the list's answer without the list's request.
    /// With <paramref name="streaming"/> (and <paramref name="noList"/>), the first watch is that path(timeoutSeconds), a
    /// streaming list (<c>sendInitialEvents</c>), and the server's marker of its initial state's end is told as
    /// <see cref="WatchEvent.Synced"/>; a server that refuses it (422: no WatchList) is told as an incomplete one, and
    /// watched without.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string listPath, Func<string, int, string> watchPath,
        [EnumeratorCancellation] CancellationToken cancellationToken, string? from = null, bool noList = false, Func<int, string>? streaming = null)
    {
        var backoff = new Backoff(options.BackoffInitial, options.BackoffMax, time);
        while (true)
        {
            string version;
            if (from is { Length: > 0 } start)
            {
                (version, from) = (start, null);
            }
            else if (noList)
            {
                version = "";
            }
            else
            {
                (var listed, version, var problem) = await ListAsync(listPath, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    await WaitAsync(backoff, problem, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                yield return listed!;
            }

            // Watch from the listed version until it expires, or until resuming from it keeps failing; each turn is one
            // connection. A resume that fails again and again may be a stream reset right behind the events it replays
            // (the reset overtakes them, so the version never moves): the state read afresh ends that loop.
            var expired = false;
            var failed = 0;
            var changes = 0;
            while (!expired)
            {
                if (failed >= FailedResumesBeforeAfresh)
                {
                    break;
                }

                var stream = version.Length == 0 ? streaming : null;
                var (connection, openProblem, gone) = await OpenAsync(stream is null ? watchPath : (_, seconds) => stream(seconds), version, cancellationToken).ConfigureAwait(false);
                if (stream is not null && openProblem is { Refused: true })
                {
                    // kube-apiserver before 1.32, or 1.33 by default: the streaming list is an invalid option there.
                    streaming = null;
                    yield return new WatchEvent.Synced(Complete: false);
                    continue;
                }

                if (gone)
                {
                    expired = true;
                    break;
                }

                if (connection is null)
                {
                    // A server that cannot be reached says nothing about the version: resuming works once it is back.
                    failed += openProblem!.Unreachable ? 0 : 1;
                    await WaitAsync(backoff, openProblem.Text, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using (connection)
                {
                    while (true)
                    {
                        var (item, readProblem) = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
                        if (readProblem is not null)
                        {
                            failed = connection.Events == 0 ? failed + 1 : 0;
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
                        var obj = item["object"] as JsonObject;
                        if (type == "ERROR")
                        {
                            var code = NodeReader.WholeNumber(obj?["code"]) ?? 0;
                            if (code == 410)
                            {
                                expired = true;
                                break;
                            }

                            failed++;
                            await WaitAsync(backoff, $"watch error {code}: {NodeReader.Text(obj?["message"])}", cancellationToken).ConfigureAwait(false);
                            break;
                        }

                        if (type == "BOOKMARK" && stream is not null
                            && NodeReader.Text(obj?["metadata"]?["annotations"]?[InitialEventsEnd]) == "true")
                        {
                            yield return new WatchEvent.Synced(Complete: true);
                        }

                        var itemVersion = NodeReader.Text(obj?["metadata"]?["resourceVersion"]);
                        if (itemVersion.Length > 0)
                        {
                            version = itemVersion;
                        }

                        backoff.Reset();
                        failed = 0;
                        changes++;
                        if (type is "ADDED" or "MODIFIED" or "DELETED" && obj is not null)
                        {
                            yield return new WatchEvent.Changed(type, obj);
                        }
                    }
                }
            }

            LogRelisting(what, version, expired ? "it expired" : $"{failed} resumes from it failed in a row");
            if (expired && changes == 0)
            {
                // Expired before anything came: a server that answers every watch with 410 must not get a list (or a
                // watch from the current state) in a tight loop.
                await Task.Delay(backoff.Next(), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(WatchEvent.Listed? Listed, string Version, string? Problem)> ListAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await api.SendAsync(HttpMethod.Get, path, null, KubePaths.Json, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess || response.Body is null)
            {
                return (null, "", $"list: {response.StatusCode} {response.Message}");
            }

            var items = (response.Body["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            return (new WatchEvent.Listed(items), NodeReader.Text(response.Body["metadata"]?["resourceVersion"]), null);
        }
        catch (HttpRequestException e)
        {
            return (null, "", $"list: {Describe(e)}");
        }
    }

    private async Task<(WatchConnection? Connection, OpenProblem? Problem, bool Gone)> OpenAsync(Func<string, int, string> watchPath, string version,
        CancellationToken cancellationToken)
    {
        // Between one and two watch timeouts, as client-go's reflectors ask: a pool of nodes started together (or an
        // API server restart) does not come back to reconnect all in the same second.
        var timeout = options.WatchTimeout * (1 + Random.Shared.NextDouble());
        // The server ends the stream after timeoutSeconds; one that outlives that by a request timeout is dead (TCP
        // keepalive finds a dead peer much sooner, see KubeHttp).
        CancellationTokenSource? bound = new(timeout + options.RequestTimeout, time);
        CancellationTokenSource? life = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await api.OpenStreamAsync(watchPath(version, (int)Math.Max(1, timeout.TotalSeconds)), life.Token).ConfigureAwait(false);
            if ((int)response.StatusCode == 410)
            {
                return (null, null, true);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, new OpenProblem($"watch: HTTP {(int)response.StatusCode}", Unreachable: false, Refused: (int)response.StatusCode == 422), false);
            }

            var connection = await WatchConnection.OpenAsync(response, life, bound).ConfigureAwait(false);
            (response, life, bound) = (null, null, null);
            return (connection, null, false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, new OpenProblem($"watch: {Describe(e)}", e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }), false);
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

    /// <summary>Why a watch could not be opened; <paramref name="Unreachable"/> when no connection to the server was made.</summary>
    /// <remarks><paramref name="Refused"/>: answered 422, the options invalid (a streaming list the server cannot serve).</remarks>
    private sealed record OpenProblem(string Text, bool Unreachable, bool Refused = false);

    // HttpClient's own message ("an error occurred while sending the request") hides the cause one level down.
    private static string Describe(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private Task WaitAsync(Backoff backoff, string problem, CancellationToken cancellationToken)
    {
        var delay = backoff.Next();
        LogReconnecting(what, problem, delay);
        return Task.Delay(delay, time, cancellationToken);
    }
}
