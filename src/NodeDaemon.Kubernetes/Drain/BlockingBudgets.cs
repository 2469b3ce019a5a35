using Microsoft.Extensions.Logging;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes.Drain;

/// <summary>
/// The disruption budgets that refused this drain's evictions, watched for the length of the drain, so that a refused pod
/// asks again as soon as its budget's status can allow it instead of on kubectl's fixed 5 s tick.
/// </summary>
/// <remarks>
/// <para>The budget itself is watched, not the pods it selects: the eviction registry judges by the budget's status
/// (<c>disruptionsAllowed</c>, with <c>observedGeneration</c> current), which the disruption controller computes from the
/// pods and their controllers' scale; reading the pods would mean redoing that arithmetic, scale subresources included,
/// and still guessing when the controller has written it. The watch costs one request per namespace a budget refused in
/// (opened at the first 429 there, without a list: a watch without resourceVersion starts with every budget as ADDED), and
/// it needs <c>watch</c> on poddisruptionbudgets (docs/rbac.yaml). Which pods a status lets go is <see cref="BudgetTurns{T}"/>'s.</para>
/// <para>The server stays the judge: a pod let go only sends its eviction again. When the watch cannot be had (no RBAC, a
/// server that refuses it) or is late, each wait still ends at its fallback tick, as kubectl's would.</para>
/// </remarks>
internal sealed partial class BlockingBudgets(KubeApi api, KubeNodeClientOptions options, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly BudgetTurns<TaskCompletionSource> _turns = new();
    private readonly Dictionary<string, Task> _watches = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>The turn to pass to <see cref="WaitAsync"/> if the request about to be sent is refused.</summary>
    public long Mark()
    {
        lock (_gate)
        {
            return _turns.Mark;
        }
    }

    /// <summary>
    /// Waits until budget <paramref name="name"/> in <paramref name="ns"/>, which refused <paramref name="pod"/>'s request sent
    /// at <paramref name="mark"/>, can let it go, or until <paramref name="atMost"/> has passed.
    /// </summary>
    /// <returns>True when the budget's status let it go, false when the tick came first.</returns>
    public async Task<bool> WaitAsync(DrainPod pod, string ns, string name, long mark, TimeSpan atMost, CancellationToken cancellationToken)
    {
        var key = $"{ns}/{name}";
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_watches.ContainsKey(ns))
            {
                // Off this thread: the watch's first steps must not run inside the lock.
                var token = _stop.Token;
                _watches[ns] = Task.Run(() => FollowAsync(ns, token), CancellationToken.None);
            }

            SetAll(_turns.Wait(key, turn, mark, pod.Ready));
        }

        using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var first = await Task.WhenAny(turn.Task, Task.Delay(atMost, time, tick.Token)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == turn.Task)
            {
                LogBudgetAllows(pod.Key, key);
                return true;
            }

            return false;
        }
        finally
        {
            await tick.CancelAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _turns.Forget(key, turn);
            }
        }
    }

    /// <summary>Ends the watches and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> watches;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stop.Cancel();
            watches = [.. _watches.Values];
        }

        foreach (var watch in watches)
        {
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    // Follows the budgets of one namespace until the drain ends, letting waiters go after every change.
    private async Task FollowAsync(string ns, CancellationToken cancellationToken)
    {
        var watch = new ResourceWatch(api, options.Transport, time, logger, $"the disruption budgets of namespace {ns}");
        try
        {
            await foreach (var change in watch.WatchAsync(KubePaths.Budgets(ns), (version, timeout) => KubePaths.BudgetsWatch(ns, version, timeout),
                cancellationToken, noList: true).ConfigureAwait(false))
            {
                if (change is WatchEvent.Changed one)
                {
                    var key = $"{ns}/{NodeReader.Text(one.Object["metadata"]?["name"])}";
                    var status = one.Type == "DELETED" ? null : BudgetStatus.Read(one.Object);
                    lock (_gate)
                    {
                        SetAll(_turns.Observe(key, status));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The drain ended.
        }
    }

    private static void SetAll(IReadOnlyList<TaskCompletionSource> released)
    {
        foreach (var turn in released)
        {
            turn.TrySetResult();
        }
    }
}
