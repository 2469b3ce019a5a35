namespace NodeDaemon.Kubernetes.Drain;

/// <summary>
/// Which pods that a disruption budget refused may ask for their eviction again, from the budget statuses seen since:
/// a pure account (no I/O, no clock, no lock: its owner holds one) of the statuses and the waiting pods.
/// </summary>
/// <remarks>
/// <para>A pod waits on the one budget its 429 named. It is let go only by a status seen <i>after</i> it sent the refused
/// request (<see cref="Mark"/> then, compared with the status's turn): a status older than the refusal says nothing the
/// refusal did not, and trusting it would knock again and again on a budget the server has just said is spent.</para>
/// <para>A status that allows <c>disruptionsAllowed</c> = n lets at most n Ready pods go, oldest first: the others would only
/// collect another 429. Each new status is a new count, so a pod let go whose eviction the server refuses after all costs
/// one request and waits again. A pod that is not Ready is let go whenever the server would let it go without a disruption
/// (<see cref="BudgetStatus.AllowsUnready"/>), without a count. A budget deleted lets every pod waiting on it go.</para>
/// </remarks>
/// <typeparam name="T">What stands for one waiting pod (compared by reference or value equality).</typeparam>
internal sealed class BudgetTurns<T>
    where T : notnull
{
    private readonly Dictionary<string, Budget> _budgets = new(StringComparer.Ordinal);
    private long _turn;

    /// <summary>The turn of the latest status seen: taken just before an eviction request is sent.</summary>
    public long Mark => _turn;

    /// <summary>The status of <paramref name="budget"/> (<c>namespace/name</c>) was seen; null when it was deleted.</summary>
    /// <returns>The waiters it lets go.</returns>
    public IReadOnlyList<T> Observe(string budget, BudgetStatus? status)
    {
        var state = For(budget);
        state.Turn = ++_turn;
        state.Status = status;
        state.Deleted = status is null;
        state.LetGo = 0;
        return Release(state);
    }

    /// <summary><paramref name="waiter"/> waits on <paramref name="budget"/>, having sent its refused request at turn
    /// <paramref name="mark"/>; its pod is <paramref name="ready"/> or not.</summary>
    /// <returns>The waiters let go: <paramref name="waiter"/> itself when a status seen since its request allows.</returns>
    public IReadOnlyList<T> Wait(string budget, T waiter, long mark, bool ready)
    {
        var state = For(budget);
        state.Waiters.Add(new Waiter(waiter, mark, ready));
        return Release(state);
    }

    /// <summary>Forgets <paramref name="waiter"/> (it stopped waiting: its fallback tick came, or the drain ended).</summary>
    public void Forget(string budget, T waiter)
    {
        if (_budgets.TryGetValue(budget, out var state))
        {
            state.Waiters.RemoveAll(w => EqualityComparer<T>.Default.Equals(w.Item, waiter));
        }
    }

    /// <summary>Whether the latest status seen of <paramref name="budget"/> would hold a <paramref name="ready"/> pod back now
    /// (known, not deleted, and no disruption left for it after those already let go): a request sent now would be refused.</summary>
    public bool Holds(string budget, bool ready) =>
        _budgets.TryGetValue(budget, out var state) && state.Turn > 0 && !state.Deleted
        && !(ready ? state.Status!.AllowsReady && state.LetGo < state.Status.Allowed : state.Status!.AllowsUnready);

    /// <summary>How many wait on <paramref name="budget"/>.</summary>
    public int Waiting(string budget) => _budgets.TryGetValue(budget, out var state) ? state.Waiters.Count : 0;

    private Budget For(string budget)
    {
        if (!_budgets.TryGetValue(budget, out var state))
        {
            _budgets[budget] = state = new Budget();
        }

        return state;
    }

    private static List<T> Release(Budget state)
    {
        List<T> released = [];
        if (state.Turn == 0)
        {
            // Not seen yet: the watch has not told this budget's status.
            return released;
        }

        for (var i = 0; i < state.Waiters.Count; i++)
        {
            var waiter = state.Waiters[i];
            if (waiter.Mark >= state.Turn)
            {
                // Refused after this status was seen: only a newer one can tell more.
                continue;
            }

            bool go;
            if (state.Deleted)
            {
                go = true;
            }
            else if (!waiter.Ready)
            {
                go = state.Status!.AllowsUnready;
            }
            else if (state.Status!.AllowsReady && state.LetGo < state.Status.Allowed)
            {
                state.LetGo++;
                go = true;
            }
            else
            {
                go = false;
            }

            if (go)
            {
                released.Add(waiter.Item);
                state.Waiters.RemoveAt(i--);
            }
        }

        return released;
    }

    /// <summary>One budget: its latest status, the turn it was seen at, and who waits on it.</summary>
    private sealed class Budget
    {
        public long Turn { get; set; }

        public BudgetStatus? Status { get; set; }

        public bool Deleted { get; set; }

        /// <summary>Ready pods let go by this status so far (at most its <c>disruptionsAllowed</c>).</summary>
        public int LetGo { get; set; }

        public List<Waiter> Waiters { get; } = [];
    }

    /// <summary>One waiting pod.</summary>
    private sealed record Waiter(T Item, long Mark, bool Ready);
}
