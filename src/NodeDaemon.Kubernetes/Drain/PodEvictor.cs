using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>One pod's eviction: the request, what each answer means, and the retries a budget or a busy server asks for.</summary>
/// <param name="api">The transport.</param>
/// <param name="options">Backoff and the least wait after a 429.</param>
/// <param name="gracePeriod">The grace period every eviction asks for; the pod's own when null.</param>
/// <param name="time">The clock of every wait.</param>
/// <param name="logger">Where retries are told.</param>
/// <param name="tally">The drain's tally: what a pod waits on, and why the drain stopped.</param>
internal sealed partial class PodEvictor(KubeApi api, KubeNodeClientOptions options, TimeSpan? gracePeriod, TimeProvider time, ILogger logger, DrainTally tally)
{
    /// <summary>Evicts until accepted (true) or the pod is found gone (false); stops the whole drain on a fatal answer.</summary>
    /// <remarks>A slot bounds the eviction requests in flight, not the pods being waited on: a pod a budget holds back
    /// gives its slot up while it waits, so it never keeps the pods of other budgets from going (holding it made a
    /// 60-pod, 6-budget drain 2.5 times slower than kubectl's). A pod a budget refused waits on that budget's status
    /// (<paramref name="budgets"/>), each pod on its own budget.</remarks>
    public async Task<bool> EvictAsync(DrainPod pod, SemaphoreSlim slots, BlockingBudgets budgets, CancellationTokenSource stop)
    {
        var backoff = new Backoff(options.Transport.BackoffInitial, options.Transport.BackoffMax, time);
        // No slot while it waits: a pod its budget holds back must not keep other budgets' pods from going.
        var tick = options.EvictionRetryMinimum;
        await budgets.BeforeFirstAsync(pod, tick * 0.7 + Backoff.Jitter(tick * 0.4),
            budget => tally.WaitingOn(pod.Key, $"PDB {budget} allows no further disruption now; waiting for its next status", budget), stop.Token).ConfigureAwait(false);
        while (true)
        {
            EvictionAnswer answer;
            long mark;
            await slots.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                // Taken before the request: only a budget status seen after it can tell more than a refusal would.
                mark = budgets.Mark();
                answer = await RequestEvictionAsync(pod, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }

            switch (answer.Kind)
            {
                case EvictionKind.Accepted:
                    return true;
                case EvictionKind.Gone:
                    return false;
                case EvictionKind.Fatal:
                    // The answer's message names the pod (and the budgets, when they could be read).
                    tally.Stopped(answer.Message, answer.Budgets ?? []);

                    await stop.CancelAsync().ConfigureAwait(false);
                    stop.Token.ThrowIfCancellationRequested();
                    return false;
                case EvictionKind.Blocked:
                    // A budget frees up only when a replacement turns Ready elsewhere, which its status tells: ask again
                    // as soon as it can allow this pod. The fallback tick is the server's hint, at least what kubectl
                    // waits (5 s), give or take 10 % so parallel pods do not knock in step: without the budget's status
                    // (no watch to be had) the server sees kubectl's rate, and no pod waits longer than kubectl's would.
                    var hint = answer.RetryAfter is { } after && after > options.EvictionRetryMinimum ? after : options.EvictionRetryMinimum;
                    var why = answer.Why ?? answer.Message;
                    var budget = answer.Budget!;
                    tally.WaitingOn(pod.Key, why, $"{pod.Namespace}/{budget}");
                    LogEvictionWaits(pod.Key, why, hint);
                    await budgets.WaitAsync(pod, pod.Namespace, budget, mark, hint * 0.7 + Backoff.Jitter(hint * 0.4), stop.Token).ConfigureAwait(false);
                    break;
                default:
                    // The server's hint when it gave one, but never a hot loop on a hint of 0.
                    var next = backoff.Next();
                    var delay = answer.RetryAfter is { } retryAfter && retryAfter > next ? retryAfter : next;
                    // The wait shows in the node's message: a drain retrying 403s or 5xx until its timeout is not silent.
                    tally.WaitingOn(pod.Key, $"eviction answered {answer.Message}; retrying");
                    LogEvictionRetried(pod.Key, answer.Message, delay);
                    await Task.Delay(delay, time, stop.Token).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task<EvictionAnswer> RequestEvictionAsync(DrainPod pod, CancellationToken cancellationToken)
    {
        var deleteOptions = new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = pod.Uid } };
        if (gracePeriod is { } grace)
        {
            deleteOptions["gracePeriodSeconds"] = (long)grace.TotalSeconds;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "Eviction",
            ["metadata"] = new JsonObject { ["name"] = pod.Name, ["namespace"] = pod.Namespace },
            ["deleteOptions"] = deleteOptions,
        };
        var response = await api.TrySendAsync(HttpMethod.Post, KubePaths.Eviction(pod.Namespace, pod.Name), body, cancellationToken).ConfigureAwait(false);
        if (response is { IsSuccess: true })
        {
            LogEvictionRequested($"{pod.Namespace}/{pod.Name}", pod.Uid);
        }

        return response switch
        {
            null => new EvictionAnswer(EvictionKind.Retry, "no answer from the API server"),
            { IsSuccess: true } => new EvictionAnswer(EvictionKind.Accepted, ""),
            { StatusCode: 404 } => new EvictionAnswer(EvictionKind.Gone, ""),
            // The uid precondition failed: the name now belongs to a replacement, so ours is gone.
            { StatusCode: 409 } when await IsGoneAsync(pod, cancellationToken).ConfigureAwait(false) => new EvictionAnswer(EvictionKind.Gone, ""),
            { StatusCode: 429 } r when BudgetText.BudgetName(r.Body) is { } budget =>
                new EvictionAnswer(EvictionKind.Blocked, r.Message, budget, r.RetryAfter, BudgetText.Describe(budget, r.Body)),
            { StatusCode: 429 } r => new EvictionAnswer(EvictionKind.Retry, r.Message, null, r.RetryAfter ?? options.EvictionRetryMinimum),
            // 201 with a Failure Status of code 500 (KubeResponse.Read makes it the 500 it means); retrying cannot fix it.
            { StatusCode: 500 } r when r.Message.Contains(MoreThanOneBudget, StringComparison.Ordinal) => await MoreThanOneBudgetAsync(pod, r, cancellationToken).ConfigureAwait(false),
            { } r => new EvictionAnswer(EvictionKind.Retry, $"{r.StatusCode} {r.Message}"),
        };
    }

    private async Task<bool> IsGoneAsync(DrainPod pod, CancellationToken cancellationToken)
    {
        var response = await api.TrySendAsync(HttpMethod.Get, KubePaths.Pod(pod.Namespace, pod.Name), null, cancellationToken).ConfigureAwait(false);
        return response is { StatusCode: 404 } || (response is { IsSuccess: true } && NodeReader.Text(response.Body?["metadata"]?["uid"]) != pod.Uid);
    }
}
