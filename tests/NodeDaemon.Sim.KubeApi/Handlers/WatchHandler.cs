using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Faults;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>
/// A watch: one JSON event per line over a chunked response, flushed per event; BOOKMARKs when asked for; the stream ends
/// after <c>timeoutSeconds</c> (default 30 min, as the real server's minimum request timeout); a resourceVersion out of the
/// history window is one ERROR event carrying a 410 Expired Status, as the real watch cache answers.
/// </summary>
internal sealed class WatchHandler
{
    private static readonly TimeSpan _defaultTimeout = TimeSpan.FromMinutes(30);
    private readonly ObjectStore _store;
    private readonly FaultInjector _faults;
    private readonly RequestCounter _counter;
    private readonly TimeSpan _bookmarkInterval;

    public WatchHandler(ObjectStore store, FaultInjector faults, RequestCounter counter, TimeSpan bookmarkInterval)
    {
        _store = store;
        _faults = faults;
        _counter = counter;
        _bookmarkInterval = bookmarkInterval;
    }

    public async Task WatchAsync(HttpContext context, RequestTarget target, CancellationToken stopping)
    {
        var query = context.Request.Query;
        var fields = FieldSelector.Parse(query["fieldSelector"], target.Type);
        var labels = LabelSelector.Parse(query["labelSelector"]);
        long? from = null;
        if (!string.IsNullOrEmpty(query["resourceVersion"]))
        {
            from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv
                : throw new ApiException(StatusErrors.BadRequest($"invalid resource version: {query["resourceVersion"]}"));
        }

        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds) : _defaultTimeout;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        // A streaming list (WatchList, on by default since 1.34): the current state, then a BOOKMARK marking its end.
        // kube-apiserver's validation (apimachinery internalversion/validation) wants resourceVersionMatch=NotOlderThan.
        var streaming = query["sendInitialEvents"] == "true";
        if (streaming && query["resourceVersionMatch"] != "NotOlderThan")
        {
            throw new ApiException(StatusErrors.Status(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }

        var faults = _faults.Current;
        if (faults.WatchCutAfterMilliseconds is { } cutMs && TimeSpan.FromMilliseconds(cutMs) < timeout)
        {
            timeout = TimeSpan.FromMilliseconds(cutMs);
        }

        using var subscription = _store.Watch(target.Type, target.Namespace, from, o => fields.Matches(o) && labels.Matches(ObjectMeta.Labels(o)), fields.ExactName);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (subscription.Error is { } error)
        {
            await WriteEventAsync(context, "ERROR", error);
            return;
        }

        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        stream.CancelAfter(timeout);
        var sent = 0;
        var initialSent = 0;
        var initialEnd = streaming && bookmarks && from is null ? subscription.Initial : null;
        if (initialEnd is { Events: 0 } empty)
        {
            await WriteEventAsync(context, "BOOKMARK", InitialEventsEnd(target.Type, empty.ResourceVersion));
            initialEnd = null;
        }

        var nextBookmark = DateTimeOffset.UtcNow + _bookmarkInterval;
        try
        {
            while (!stream.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stream.Token);
                if (bookmarks)
                {
                    wait.CancelAfter(Max(nextBookmark - DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(1)));
                }

                bool more;
                try
                {
                    more = await subscription.Events.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stream.IsCancellationRequested)
                {
                    if (subscription.BookmarkVersion() is { } rv)
                    {
                        await WriteEventAsync(context, "BOOKMARK", Bookmark(target.Type, rv));
                        _counter.AddBookmark(target.Type.Resource);
                    }

                    nextBookmark = DateTimeOffset.UtcNow + _bookmarkInterval;
                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (subscription.Events.TryRead(out var change))
                {
                    await WriteEventAsync(context, change.Type, change.Change.Json);
                    if (initialEnd is { } end && ++initialSent == end.Events)
                    {
                        await WriteEventAsync(context, "BOOKMARK", InitialEventsEnd(target.Type, end.ResourceVersion));
                        initialEnd = null;
                    }

                    if (faults.WatchCutAfterEvents is { } cut && ++sent >= cut)
                    {
                        Cut(context, faults);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested)
        {
            // timeoutSeconds, a cut, the client going away or the server stopping: the stream just ends.
        }

        if (!context.RequestAborted.IsCancellationRequested && faults.WatchCutAfterMilliseconds is not null)
        {
            Cut(context, faults);
        }
    }

    private static void Cut(HttpContext context, FaultSettings faults)
    {
        if (faults.WatchCutAbort)
        {
            context.Abort();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static JsonObject Bookmark(ResourceType type, long rv) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
    };

    private static JsonObject InitialEventsEnd(ResourceType type, long rv)
    {
        var bookmark = Bookmark(type, rv);
        bookmark["metadata"]!["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        return bookmark;
    }

    private static Task WriteEventAsync(HttpContext context, string type, JsonObject obj) =>
        WriteEventAsync(context, type, Encoding.UTF8.GetBytes(obj.ToJsonString(HttpIo.Wire)));

    /// <summary>One event line, <c>{"type":…,"object":…}</c>, around an object already on the wire.</summary>
    private static async Task WriteEventAsync(HttpContext context, string type, byte[] obj)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var line = new byte[head.Length + obj.Length + 2];
        head.CopyTo(line, 0);
        obj.CopyTo(line, head.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        await context.Response.Body.WriteAsync(line, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
