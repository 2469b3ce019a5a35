using NodeDaemon.Kubernetes.Drain;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>Which refused pods a budget's status lets ask again: only a status seen after the refusal, at most
/// <c>disruptionsAllowed</c> Ready pods per status, unready pods on the registry's own terms.</summary>
public sealed class BudgetTurnsTests
{
    private const string Web = "shop/web";

    /// <summary>A status: allowed, currentHealthy, desiredHealthy, observedGeneration current.</summary>
    private static BudgetStatus S(int allowed, int current = 3, int desired = 2, bool observed = true) => new(allowed, current, desired, observed);

    [Theory]
    // why; the status seen after the refusal: allowed, currentHealthy, desiredHealthy, observedGeneration current; pod Ready; let go
    [InlineData("a disruption allowed", 1, 3, 2, true, true, true)]
    [InlineData("none allowed", 0, 2, 2, true, true, false)]
    [InlineData("allowed, but the controller has not seen the budget's generation (429 'still being processed')", 1, 3, 2, false, true, false)]
    [InlineData("an unready pod goes without a disruption when the budget is met", 0, 2, 2, true, false, true)]
    [InlineData("an unready pod waits while the budget is short", 0, 1, 2, true, false, false)]
    [InlineData("an unready pod under a budget that desires none still needs an allowed disruption", 0, 0, 0, true, false, false)]
    [InlineData("an unready pod goes when one is allowed", 1, 3, 2, true, false, true)]
    [InlineData("an unready pod waits while the generation is not observed", 0, 2, 2, false, false, false)]
    public void A_status_seen_after_the_refusal_lets_the_pod_go_only_when_the_registry_would_accept_it(
        string why, int allowed, int current, int desired, bool observed, bool ready, bool letGo)
    {
        var turns = new BudgetTurns<string>();
        var mark = turns.Mark;
        Assert.Empty(turns.Wait(Web, "pod", mark, ready));

        var released = turns.Observe(Web, new BudgetStatus(allowed, current, desired, observed));

        Assert.True(letGo == released.SequenceEqual(["pod"]), why);
        Assert.Equal(letGo ? 0 : 1, turns.Waiting(Web));
    }

    [Fact]
    public void A_first_request_goes_within_the_status_seen_already_and_the_rest_wait_for_the_next()
    {
        // Mark 0: no request was refused yet, so the status the watch showed first counts (FirstEvictionRule).
        var turns = new BudgetTurns<string>();
        Assert.Empty(turns.Observe(Web, S(1)));

        Assert.Equal(["a"], turns.Wait(Web, "a", 0, ready: true));
        Assert.Empty(turns.Wait(Web, "b", 0, ready: true));
        // a's eviction took the disruption; the replacement Ready gives it back.
        Assert.Empty(turns.Observe(Web, S(0, current: 1)));
        Assert.Equal(["b"], turns.Observe(Web, S(1)));
    }

    [Theory]
    // the latest status: allowed, currentHealthy, desiredHealthy, observed; pods already let go by it; pod Ready; held back
    [InlineData(0, 2, 2, true, 0, true, true)]
    [InlineData(1, 3, 2, true, 0, true, false)]
    [InlineData(1, 3, 2, true, 1, true, true)]
    [InlineData(1, 3, 2, false, 0, true, true)]
    [InlineData(0, 2, 2, true, 0, false, false)]
    [InlineData(0, 1, 2, true, 0, false, true)]
    public void A_known_status_holds_a_pod_back_exactly_when_a_request_now_would_be_refused(
        int allowed, int current, int desired, bool observed, int letGo, bool ready, bool holds)
    {
        var turns = new BudgetTurns<string>();
        Assert.Empty(turns.Observe(Web, new BudgetStatus(allowed, current, desired, observed)));
        for (var i = 0; i < letGo; i++)
        {
            Assert.Single(turns.Wait(Web, $"gone-{i}", 0, ready: true));
        }

        Assert.Equal(holds, turns.Holds(Web, ready));
    }

    [Fact]
    public void A_budget_not_seen_or_deleted_holds_no_one_back()
    {
        var turns = new BudgetTurns<string>();
        Assert.False(turns.Holds(Web, ready: true));
        turns.Observe(Web, null);
        Assert.False(turns.Holds(Web, ready: true));
    }

    [Fact]
    public void A_status_seen_before_the_refusal_lets_no_one_go_however_much_it_allows()
    {
        var turns = new BudgetTurns<string>();
        Assert.Empty(turns.Observe(Web, S(2)));
        // The request went after that status arrived, and was refused: the status is older than the refusal.
        var mark = turns.Mark;

        Assert.Empty(turns.Wait(Web, "pod", mark, ready: true));
        Assert.Empty(turns.Observe("shop/other", S(5)));
        Assert.Equal(["pod"], turns.Observe(Web, S(1)));
    }

    [Fact]
    public void A_status_that_arrived_between_the_request_and_the_refusal_lets_the_pod_go_at_once()
    {
        var turns = new BudgetTurns<string>();
        var mark = turns.Mark;
        Assert.Empty(turns.Observe(Web, S(1)));

        Assert.Equal(["pod"], turns.Wait(Web, "pod", mark, ready: true));
        Assert.Equal(0, turns.Waiting(Web));
    }

    [Fact]
    public void A_status_lets_at_most_its_allowed_disruptions_go_oldest_first_and_the_next_status_counts_afresh()
    {
        var turns = new BudgetTurns<string>();
        var mark = turns.Mark;
        foreach (var pod in new[] { "a", "b", "c", "d" })
        {
            Assert.Empty(turns.Wait(Web, pod, mark, ready: true));
        }

        Assert.Equal(["a", "b"], turns.Observe(Web, S(2)));
        // One of them went: the budget's own update says one is left, and one more pod may try.
        Assert.Equal(["c"], turns.Observe(Web, S(1)));
        Assert.Empty(turns.Observe(Web, S(0)));
        Assert.Equal(1, turns.Waiting(Web));
    }

    [Fact]
    public void Unready_pods_do_not_use_the_count_of_ready_ones()
    {
        var turns = new BudgetTurns<string>();
        var mark = turns.Mark;
        turns.Wait(Web, "unready", mark, ready: false);
        turns.Wait(Web, "ready-1", mark, ready: true);
        turns.Wait(Web, "ready-2", mark, ready: true);

        Assert.Equal(["unready", "ready-1"], turns.Observe(Web, S(1)));
    }

    [Fact]
    public void A_deleted_budget_lets_every_pod_waiting_on_it_go_and_no_other()
    {
        var turns = new BudgetTurns<string>();
        var mark = turns.Mark;
        turns.Wait(Web, "a", mark, ready: true);
        turns.Wait(Web, "b", mark, ready: false);
        turns.Wait("shop/db", "c", mark, ready: true);

        Assert.Equal(["a", "b"], turns.Observe(Web, null));
        Assert.Equal(1, turns.Waiting("shop/db"));
    }

    [Fact]
    public void A_forgotten_waiter_is_never_let_go()
    {
        var turns = new BudgetTurns<string>();
        var mark = turns.Mark;
        turns.Wait(Web, "a", mark, ready: true);
        turns.Wait(Web, "b", mark, ready: true);
        turns.Forget(Web, "a");

        Assert.Equal(["b"], turns.Observe(Web, S(1)));
    }

    [Fact]
    public void A_budget_never_seen_lets_no_one_go()
    {
        var turns = new BudgetTurns<string>();
        Assert.Empty(turns.Wait(Web, "a", turns.Mark, ready: true));
        Assert.Empty(turns.Observe("shop/other", S(3)));
        Assert.Equal(1, turns.Waiting(Web));
    }
}
