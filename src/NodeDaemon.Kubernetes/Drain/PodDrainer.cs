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
    private readonly DrainTally _tally;
    private readonly PodEvictor _evictor;

    public PodDrainer(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger, DrainRequest request, IProgress<DrainProgress>? progress)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _request = request;
        _tally = new DrainTally(progress, logger);
        _evictor = new PodEvictor(api, options, request.Options.PodGracePeriod, time, logger, _tally);
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
        // The watches of the node's pods and of the budgets that refuse evictions last as long as this drain, however it ends.
        var pods = new PodGoneWatch(_api, _options, _time, _logger);
        var budgets = new BlockingBudgets(_api, _options, _time, _logger);
        await using (pods.ConfigureAwait(false))
        await using (budgets.ConfigureAwait(false))
        {
            return await DrainAsync(pods, budgets, stop, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DrainResult> DrainAsync(PodGoneWatch pods, BlockingBudgets budgets, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        var drain = _request.Options;
        List<DrainPod> toMove = [];
        try
        {
            var plan = await PlanAsync(pods, stop.Token).ConfigureAwait(false);
            if (plan.Refused.Count > 0)
            {
                return Finish(new DrainResult(DrainOutcome.Refused, plan.RefusalMessage(), 0, plan.ToMove.Count, [.. plan.Refused.Select(r => r.Pod.Key)], []));
            }

            if (drain.BlockingPodSelector.Trim().Length > 0)
            {
                await WaitForBlockingPodsAsync(drain.BlockingPodSelector, stop.Token).ConfigureAwait(false);
                // Time passed: plan again from what is on the node now.
                plan = await PlanAsync(pods, stop.Token).ConfigureAwait(false);
                if (plan.Refused.Count > 0)
                {
                    return Finish(new DrainResult(DrainOutcome.Refused, plan.RefusalMessage(), 0, plan.ToMove.Count, [.. plan.Refused.Select(r => r.Pod.Key)], []));
                }
            }

            toMove = [.. plan.ToMove];
            foreach (var ns in FirstEvictionRule.WatchedFirst(toMove))
            {
                budgets.WatchFirst(ns);
            }

            _tally.Begin(toMove.Count);
            using var slots = new SemaphoreSlim(Math.Max(1, drain.Concurrency));
            await Task.WhenAll(toMove.Select(pod => MovePodAsync(pod, pods, budgets, slots, stop))).ConfigureAwait(false);
            return Finish(new DrainResult(DrainOutcome.Drained, $"drained: {toMove.Count} pods evicted", toMove.Count, toMove.Count, [], []));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Finish(_tally.Unfinished(toMove, drain.Timeout));
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
            left = [.. (await PlanAsync(null, bound.Token).ConfigureAwait(false)).ToMove.Select(p => p.Key)];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer in time: the timeout stands without the names.
        }

        return Finish(new DrainResult(DrainOutcome.TimedOut,
            $"no end after {drain.Timeout} (counted from the drain's start, across restarts); still on the node: {string.Join(", ", left)}", 0, left.Count, left, []));
    }

    private async Task<DrainPlan> PlanAsync(PodGoneWatch? pods, CancellationToken cancellationToken)
    {
        var list = await ListPodsAsync("", cancellationToken).ConfigureAwait(false);
        // The watch of evicted pods starts from this list: every deletion after it is seen, even one before the watch opens.
        pods?.Seed(list);
        return DrainPlan.For(Pods(list), _request.Options.DeleteEmptyDirData, _request.Options.EvictUnreplicated);
    }

    /// <summary>Waits while a pod matching <paramref name="selector"/> runs on the node, listing them after 1, 2, 4, then every 8 <see cref="KubeNodeClientOptions.PodPollInterval"/>s.</summary>
    /// <remarks>A nightly backup runs for an hour: a list a second would be 3600 requests for one answer.</remarks>
    private async Task WaitForBlockingPodsAsync(string selector, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var running = Pods(await ListPodsAsync(selector, cancellationToken).ConfigureAwait(false)).Where(p => !p.Finished).ToList();
            _tally.BlockedBySelector(running.Select(p => p.Key), selector);

            if (running.Count == 0)
            {
                return;
            }

            _tally.Report($"draining: not started, waiting on {running[0].Key} (matches the blocking selector {selector})");
            await Task.Delay(_options.PodPollInterval * (1 << Math.Min(round, 3)), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The list of the node's pods (narrowed by a label <paramref name="selector"/>), as the server sent it.</summary>
    private async Task<JsonNode> ListPodsAsync(string selector, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.Transport.BackoffInitial, _options.Transport.BackoffMax, _time);
        while (true)
        {
            var answer = await _api.TrySendAsync(HttpMethod.Get, KubePaths.PodsOnNode(_options.NodeName, selector), null, cancellationToken).ConfigureAwait(false);
            if (answer is { IsSuccess: true, Body: { } body })
            {
                return body;
            }

            await backoff.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<DrainPod> Pods(JsonNode list) => [.. (list["items"] as JsonArray ?? []).OfType<JsonNode>().Select(DrainPod.Read)];

    private async Task MovePodAsync(DrainPod pod, PodGoneWatch pods, BlockingBudgets budgets, SemaphoreSlim slots, CancellationTokenSource stop)
    {
        if (!pod.Terminating && !await _evictor.EvictAsync(pod, slots, budgets, stop).ConfigureAwait(false))
        {
            _tally.Gone(pod.Key);
            return;
        }

        _tally.Evicted(pod.Key);
        await pods.WaitGoneAsync(pod, stop.Token).ConfigureAwait(false);
        _tally.Gone(pod.Key);
    }

    private DrainResult Finish(DrainResult result)
    {
        LogFinished(_options.NodeName, result.Outcome.ToString(), result.Message);
        return result;
    }
}
