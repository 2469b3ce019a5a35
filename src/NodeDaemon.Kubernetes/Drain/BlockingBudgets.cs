using System.Text.Json.Nodes;
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
    /// <summary>Ticks in a row a wait skips while the watched status holds the pod back: 30 s at kubectl's 5 s.</summary>
    internal const int HeldTicks = 6;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly BudgetTurns<TaskCompletionSource> _turns = new();
    private readonly Dictionary<string, Task> _watches = new(StringComparer.Ordinal);
    // The namespaces watched before the first eviction (FirstEvictionRule): the end of their initial state, and their budgets' selectors.
    private readonly Dictionary<string, Streamed> _streamed = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Watches the budgets of <paramref name="ns"/> from now on, as a streaming list whose initial state's end is told:
    /// the first requests of its pods then wait on the budgets that select them (<see cref="BeforeFirstAsync"/>).</summary>
    public void WatchFirst(string ns)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_watches.ContainsKey(ns))
            {
                return;
            }

            _streamed[ns] = new Streamed();
            var token = _stop.Token;
            _watches[ns] = Task.Run(() => FollowAsync(ns, token), CancellationToken.None);
        }
    }

    /// <summary>
    /// Before <paramref name="pod"/>'s first eviction request: when its namespace is watched first and the budget that selects it
    /// (as the watch's initial state shows) cannot let it go now, waits for that budget's next status that can, or at most
    /// <paramref name="atMost"/>; <paramref name="waiting"/> is told the budget when it waits. Returns at once otherwise, and after
    /// <paramref name="atMost"/> when the initial state has not come (a server that ignores the streaming list's options).
    /// </summary>
    public async Task BeforeFirstAsync(DrainPod pod, TimeSpan atMost, Action<string> waiting, CancellationToken cancellationToken)
    {
        Task<bool> synced;
        lock (_gate)
        {
            if (!_streamed.TryGetValue(pod.Namespace, out var streamed))
            {
                return;
            }

            synced = streamed.Synced.Task;
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(atMost, time, bound.Token);
        if (await Task.WhenAny(synced, deadline).ConfigureAwait(false) != synced || !await synced.ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string key;
        lock (_gate)
        {
            if (FirstEvictionRule.WaitsOn(pod, _streamed[pod.Namespace].Selectors) is not { } name)
            {
                return;
            }

            key = $"{pod.Namespace}/{name}";
            // Mark 0: no request of this pod was refused, so the status seen already may let it go (within its count).
            SetAll(_turns.Wait(key, turn, 0, pod.Ready));
        }

        try
        {
            await bound.CancelAsync().ConfigureAwait(false);
            if (!turn.Task.IsCompleted)
            {
                waiting(key);
                await AwaitTurnAsync(key, turn, pod.Ready, atMost, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                _turns.Forget(key, turn);
            }
        }
    }

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

        try
        {
            if (await AwaitTurnAsync(key, turn, pod.Ready, atMost, cancellationToken).ConfigureAwait(false))
            {
                LogBudgetAllows(pod.Key, key);
                return true;
            }

            return false;
        }
        finally
        {
            lock (_gate)
            {
                _turns.Forget(key, turn);
            }
        }
    }

    /// <summary>Whether the watched status of budget <paramref name="key"/> (<c>namespace/name</c>) holds a Ready pod back now.</summary>
    internal bool Holds(string key)
    {
        lock (_gate)
        {
            return _turns.Holds(key, ready: true);
        }
    }

    /// <summary>Waits for <paramref name="turn"/>, or for a tick of <paramref name="atMost"/> after which the watched status
    /// no longer holds the pod back (the tick skipped while it does, at most <see cref="HeldTicks"/> ticks in all).</summary>
    /// <returns>True when the budget's status let it go, false when a tick ends the wait.</returns>
    /// <remarks>The tick is the fallback for a budget the watch cannot tell about (no watch, a status not seen yet): asking at
    /// a tick while the watched status says the budget is spent only collects a 429. A stale watch only delays, never
    /// sends: at most <see cref="HeldTicks"/> ticks, then the pod asks anyway and the server judges.</remarks>
    private async Task<bool> AwaitTurnAsync(string key, TaskCompletionSource turn, bool ready, TimeSpan atMost, CancellationToken cancellationToken)
    {
        for (var ticks = 1; ; ticks++)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var first = await Task.WhenAny(turn.Task, Task.Delay(atMost, time, tick.Token)).ConfigureAwait(false);
            await tick.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == turn.Task)
            {
                return true;
            }

            lock (_gate)
            {
                if (ticks >= HeldTicks || !_turns.Holds(key, ready))
                {
                    return false;
                }
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
            Streamed? streamed;
            lock (_gate)
            {
                streamed = _streamed.GetValueOrDefault(ns);
            }

            await foreach (var change in watch.WatchAsync(KubePaths.Budgets(ns), (version, timeout) => KubePaths.BudgetsWatch(ns, version, timeout),
                cancellationToken, noList: true, streaming: streamed is null ? null : timeout => KubePaths.BudgetsStream(ns, timeout)).ConfigureAwait(false))
            {
                if (change is WatchEvent.Synced synced)
                {
                    streamed?.Synced.TrySetResult(synced.Complete);
                }
                else if (change is WatchEvent.Changed one)
                {
                    var name = NodeReader.Text(one.Object["metadata"]?["name"]);
                    var status = one.Type == "DELETED" ? null : BudgetStatus.Read(one.Object);
                    lock (_gate)
                    {
                        if (streamed is not null)
                        {
                            if (status is null)
                            {
                                streamed.Selectors.Remove(name);
                            }
                            else
                            {
                                streamed.Selectors[name] = one.Object["spec"]?["selector"]?.DeepClone();
                            }
                        }

                        SetAll(_turns.Observe($"{ns}/{name}", status));
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

    /// <summary>A namespace watched before its first eviction: whether its initial state came complete, and its budgets' selectors.</summary>
    private sealed class Streamed
    {
        public TaskCompletionSource<bool> Synced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Dictionary<string, JsonNode?> Selectors { get; } = new(StringComparer.Ordinal);
    }
}
