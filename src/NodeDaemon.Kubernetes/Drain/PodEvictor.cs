using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>One pod's eviction: the request, what each answer means, and the retries a budget or a busy server asks for.</summary>
internal sealed partial class PodDrainer
{
    /// <summary>Evicts until accepted (true) or the pod is found gone (false); stops the whole drain on a fatal answer.</summary>
    /// <remarks>A slot bounds the eviction requests in flight, not the pods being waited on: a pod a budget holds back
    /// gives its slot up while it waits, so it never keeps the pods of other budgets from going (holding it made a
    /// 60-pod, 6-budget drain 2.5 times slower than kubectl's).</remarks>
    private async Task<bool> EvictAsync(DrainPod pod, SemaphoreSlim slots, CancellationTokenSource stop)
    {
        var backoff = new Backoff(_options.BackoffInitial, _options.BackoffMax, _time);
        while (true)
        {
            EvictionAnswer answer;
            await slots.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
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
                    lock (_gate)
                    {
                        // The answer's message names the pod (and the budgets, when they could be read).
                        _stopMessage ??= answer.Message;
                        _budgets.UnionWith(answer.Budgets ?? []);
                    }

                    await stop.CancelAsync().ConfigureAwait(false);
                    stop.Token.ThrowIfCancellationRequested();
                    return false;
                case EvictionKind.Blocked:
                    // A budget frees up only when a replacement turns Ready elsewhere: wait the server's hint, at
                    // least what kubectl waits (5 s), give or take 10 % so parallel pods do not knock in step; on
                    // average the server sees kubectl's rate, and no pod waits a fixed extra on top of it.
                    var hint = answer.RetryAfter is { } after && after > _options.EvictionRetryMinimum ? after : _options.EvictionRetryMinimum;
                    var why = answer.Why ?? answer.Message;
                    lock (_gate)
                    {
                        _waiting[pod.Key] = why;
                        if (answer.Budget is { } budget)
                        {
                            _budgets.Add($"{pod.Namespace}/{budget}");
                        }
                    }

                    Report();
                    LogEvictionRetried(pod.Key, why, hint);
                    await Task.Delay(hint * 0.7 + Backoff.Jitter(hint * 0.4), _time, stop.Token).ConfigureAwait(false);
                    break;
                default:
                    // The server's hint when it gave one, but never a hot loop on a hint of 0.
                    var next = backoff.Next();
                    var delay = answer.RetryAfter is { } retryAfter && retryAfter > next ? retryAfter : next;
                    // The wait shows in the node's message: a drain retrying 403s or 5xx until its timeout is not silent.
                    lock (_gate)
                    {
                        _waiting[pod.Key] = $"eviction answered {answer.Message}; retrying";
                    }

                    Report();
                    LogEvictionRetried(pod.Key, answer.Message, delay);
                    await Task.Delay(delay, _time, stop.Token).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task<EvictionAnswer> RequestEvictionAsync(DrainPod pod, CancellationToken cancellationToken)
    {
        var deleteOptions = new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = pod.Uid } };
        if (_request.Options.PodGracePeriod is { } grace)
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
        var response = await TrySendAsync(HttpMethod.Post, KubePaths.Eviction(pod.Namespace, pod.Name), body, cancellationToken).ConfigureAwait(false);
        return response switch
        {
            null => new EvictionAnswer(EvictionKind.Retry, "no answer from the API server"),
            { IsSuccess: true } => new EvictionAnswer(EvictionKind.Accepted, ""),
            { StatusCode: 404 } => new EvictionAnswer(EvictionKind.Gone, ""),
            // The uid precondition failed: the name now belongs to a replacement, so ours is gone.
            { StatusCode: 409 } when await IsGoneAsync(pod, cancellationToken).ConfigureAwait(false) => new EvictionAnswer(EvictionKind.Gone, ""),
            { StatusCode: 429 } r when BudgetText.BudgetName(r.Body) is { } budget =>
                new EvictionAnswer(EvictionKind.Blocked, r.Message, budget, r.RetryAfter, BudgetText.Describe(budget, r.Body)),
            { StatusCode: 429 } r => new EvictionAnswer(EvictionKind.Retry, r.Message, null, r.RetryAfter ?? _options.EvictionRetryMinimum),
            // 201 with a Failure Status of code 500 (KubeResponse.Read makes it the 500 it means); retrying cannot fix it.
            { StatusCode: 500 } r when r.Message.Contains(MoreThanOneBudget, StringComparison.Ordinal) => await MoreThanOneBudgetAsync(pod, r, cancellationToken).ConfigureAwait(false),
            { } r => new EvictionAnswer(EvictionKind.Retry, $"{r.StatusCode} {r.Message}"),
        };
    }
}
