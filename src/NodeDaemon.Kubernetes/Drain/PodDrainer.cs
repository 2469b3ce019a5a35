using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>
/// One drain of the node: refuse early by policy, wait out blocking pods, evict in parallel through the Eviction API,
/// retry what budgets refuse for now, and wait until every evicted pod is gone. Never deletes a pod directly.
/// </summary>
internal sealed partial class PodDrainer
{
    private readonly KubeApi _api;
    private readonly KubeNodeClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DrainRequest _request;
    private readonly IProgress<DrainProgress>? _progress;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _budgets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);
    private readonly HashSet<string> _moved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DrainPod Pod, TaskCompletionSource Gone)> _awaitingGone = new(StringComparer.Ordinal);
    private readonly PodGoneWatch _pods;
    private Task? _watching;
    private CancellationToken _watchToken;
    private int _total;
    private string? _stopMessage;

    public PodDrainer(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger, DrainRequest request, IProgress<DrainProgress>? progress)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _request = request;
        _progress = progress;
        _pods = new PodGoneWatch(api, options, time, logger);
    }

    /// <summary>Runs the drain to its end; only the caller's cancellation escapes as an exception.</summary>
    public async Task<DrainResult> RunAsync(CancellationToken cancellationToken)
    {
        var drain = _request.Options;
        LogStarted(_options.NodeName, drain.Timeout);
        // What is left of the timeout when the drain started before (a restart mid-drain): the daemon keeps the start in
        // its notes, so the timeout holds however often the process restarts. Nothing left: it has timed out already,
        // and only the pods still on the node are named.
        var left = _request.TimeLeft ?? drain.Timeout;
        if (left <= TimeSpan.Zero)
        {
            return await TimedOutAlreadyAsync(cancellationToken).ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(left, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        // The watch of the node's pods lasts as long as this drain, however it ends.
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        _watchToken = watch.Token;
        try
        {
            return await DrainAsync(stop, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await watch.CancelAsync().ConfigureAwait(false);
            if (_watching is { } watching)
            {
                await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<DrainResult> DrainAsync(CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        var drain = _request.Options;
        List<DrainPod> toMove = [];
        try
        {
            var plan = await PlanAsync(stop.Token).ConfigureAwait(false);
            if (plan.Refused.Count > 0)
            {
                return Finish(new DrainResult(DrainOutcome.Refused, plan.RefusalMessage(), 0, plan.ToMove.Count, [.. plan.Refused.Select(r => r.Pod.Key)], []));
            }

            if (drain.BlockingPodSelector.Trim().Length > 0)
            {
                await WaitForBlockingPodsAsync(drain.BlockingPodSelector, stop.Token).ConfigureAwait(false);
                // Time passed: plan again from what is on the node now.
                plan = await PlanAsync(stop.Token).ConfigureAwait(false);
                if (plan.Refused.Count > 0)
                {
                    return Finish(new DrainResult(DrainOutcome.Refused, plan.RefusalMessage(), 0, plan.ToMove.Count, [.. plan.Refused.Select(r => r.Pod.Key)], []));
                }
            }

            toMove = [.. plan.ToMove];
            _total = toMove.Count;
            Report();
            using var slots = new SemaphoreSlim(Math.Max(1, drain.Concurrency));
            await Task.WhenAll(toMove.Select(pod => MovePodAsync(pod, slots, stop))).ConfigureAwait(false);
            return Finish(new DrainResult(DrainOutcome.Drained, $"drained: {_total} pods evicted", _total, _total, [], []));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                var left = toMove.Count > 0 ? [.. toMove.Select(p => p.Key).Where(k => !_gone.Contains(k))] : _waiting.Keys.ToList();
                if (_stopMessage is { } stopped)
                {
                    return Finish(new DrainResult(DrainOutcome.Stopped, stopped, _moved.Count, _total, left, [.. _budgets]));
                }

                var message = $"no end after {drain.Timeout}: {_moved.Count}/{_total} pods evicted; still on the node: {string.Join(", ", left)}" +
                    (_budgets.Count > 0 ? $"; blocked by {string.Join(", ", _budgets.Select(b => "PDB " + b))}" : "");
                return Finish(new DrainResult(DrainOutcome.TimedOut, message, _moved.Count, _total, left, [.. _budgets]));
            }
        }
    }

    /// <summary>The answer for a drain whose whole timeout passed before this process took it up: timed out, naming the
    /// pods on the node (one list, bounded by the pod poll interval's backoff; none named when the API does not answer).</summary>
    private async Task<DrainResult> TimedOutAlreadyAsync(CancellationToken cancellationToken)
    {
        var drain = _request.Options;
        List<string> left = [];
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_options.Transport.RequestTimeout);
        try
        {
            left = [.. (await PlanAsync(bound.Token).ConfigureAwait(false)).ToMove.Select(p => p.Key)];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer in time: the timeout stands without the names.
        }

        return Finish(new DrainResult(DrainOutcome.TimedOut,
            $"no end after {drain.Timeout} (counted from the drain's start, across restarts); still on the node: {string.Join(", ", left)}", 0, left.Count, left, []));
    }

    private async Task<DrainPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var list = await ListPodsAsync("", cancellationToken).ConfigureAwait(false);
        // The watch of evicted pods starts from this list: every deletion after it is seen, even one before the watch opens.
        _pods.Seed(list);
        return DrainPlan.For(Pods(list), _request.Options.DeleteEmptyDirData, _request.Options.EvictUnreplicated);
    }

    /// <summary>Waits while a pod matching <paramref name="selector"/> runs on the node, listing them after 1, 2, 4, then every 8 <see cref="KubeNodeClientOptions.PodPollInterval"/>s.</summary>
    /// <remarks>A nightly backup runs for an hour: a list a second would be 3600 requests for one answer.</remarks>
    private async Task WaitForBlockingPodsAsync(string selector, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var running = Pods(await ListPodsAsync(selector, cancellationToken).ConfigureAwait(false)).Where(p => !p.Finished).ToList();
            lock (_gate)
            {
                _waiting.Clear();
                foreach (var pod in running)
                {
                    _waiting[pod.Key] = $"matches the blocking selector {selector}";
                }
            }

            if (running.Count == 0)
            {
                return;
            }

            Report($"draining: not started, waiting on {running[0].Key} (matches the blocking selector {selector})");
            await Task.Delay(_options.PodPollInterval * (1 << Math.Min(round, 3)), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The list of the node's pods (narrowed by a label <paramref name="selector"/>), as the server sent it.</summary>
    private async Task<JsonNode> ListPodsAsync(string selector, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.Transport.BackoffInitial, _options.Transport.BackoffMax, _time);
        while (true)
        {
            var answer = await TrySendAsync(HttpMethod.Get, KubePaths.PodsOnNode(_options.NodeName, selector), null, cancellationToken).ConfigureAwait(false);
            if (answer is { IsSuccess: true, Body: { } body })
            {
                return body;
            }

            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<DrainPod> Pods(JsonNode list) => [.. (list["items"] as JsonArray ?? []).OfType<JsonNode>().Select(DrainPod.Read)];

    private async Task MovePodAsync(DrainPod pod, SemaphoreSlim slots, CancellationTokenSource stop)
    {
        var token = stop.Token;
        if (!pod.Terminating && !await EvictAsync(pod, slots, stop).ConfigureAwait(false))
        {
            MarkGone(pod);
            return;
        }

        lock (_gate)
        {
            _moved.Add(pod.Key);
            _waiting[pod.Key] = "terminating";
        }

        Report();
        await WaitGoneAsync(pod, token).ConfigureAwait(false);
        MarkGone(pod);
    }

    /// <summary>Waits until <paramref name="pod"/> is gone, as the watch of the node's pods (started by the first pod that waits) sees it.</summary>
    private Task WaitGoneAsync(DrainPod pod, CancellationToken cancellationToken)
    {
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _awaitingGone[pod.Key] = (pod, gone);
            // Off this thread: the watch's first steps must not run inside the lock.
            _watching ??= Task.Run(() => _pods.RunAsync(ResolveGone, _watchToken), CancellationToken.None);
        }

        // Gone before it joined the wait (a pod that was not running goes at once): the watch has seen it already.
        ResolveGone();
        return gone.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Releases every waiter whose pod the watch no longer has on the node (deleted: a GET would answer 404; or its name
    /// now belongs to a pod on another node) or has under a new uid (a StatefulSet's replacement). Graceful deletion ends
    /// when the grace period does; nothing is forced.
    /// </summary>
    private void ResolveGone()
    {
        lock (_gate)
        {
            foreach (var (key, (pod, gone)) in _awaitingGone.ToList())
            {
                if (_pods.IsGone(pod))
                {
                    _awaitingGone.Remove(key);
                    gone.TrySetResult();
                }
            }
        }
    }

    private async Task<bool> IsGoneAsync(DrainPod pod, CancellationToken cancellationToken)
    {
        var response = await TrySendAsync(HttpMethod.Get, KubePaths.Pod(pod.Namespace, pod.Name), null, cancellationToken).ConfigureAwait(false);
        return response is { StatusCode: 404 } || (response is { IsSuccess: true } && NodeReader.Text(response.Body?["metadata"]?["uid"]) != pod.Uid);
    }

    private async Task<KubeResponse?> TrySendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        try
        {
            return await _api.SendAsync(method, path, body, KubePaths.Json, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // Unreachable for now; every caller retries on its own schedule.
            return null;
        }
    }

    private void MarkGone(DrainPod pod)
    {
        lock (_gate)
        {
            // A pod found gone without an accepted eviction of ours still counts as moved.
            _moved.Add(pod.Key);
            _gone.Add(pod.Key);
            _waiting.Remove(pod.Key);
        }

        Report();
    }

    private void Report(string? line = null)
    {
        DrainProgress progress;
        lock (_gate)
        {
            var waiting = _waiting.OrderBy(w => w.Value == "terminating" ? 1 : 0).ThenBy(w => w.Key, StringComparer.Ordinal).FirstOrDefault();
            var evicted = Math.Min(_moved.Count, _total);
            line ??= string.Create(CultureInfo.InvariantCulture, $"draining: {evicted}/{_total} pods evicted") +
                (waiting.Key is null ? "" : $", waiting on {waiting.Key} ({waiting.Value})");
            progress = new DrainProgress(evicted, _total, waiting.Key, line);
        }

        LogProgress(progress.Line);
        _progress?.Report(progress);
    }

    private DrainResult Finish(DrainResult result)
    {
        LogFinished(_options.NodeName, result.Outcome.ToString(), result.Message);
        return result;
    }
}
