using NodeDaemon.Core.Agent;

namespace NodeDaemon.Agent;

/// <summary>The agent loop's waits between turns: for a change from the node watch, slot or staging slot news, a deadline or the idle tick.</summary>
internal sealed class TurnWaiter(NodeObserver observer, SlotExecutor slot, StagingSlotExecutor staging, TimeProvider time, AgentLoopSettings settings)
{
    /// <summary>After <paramref name="action"/>: waits when it says to (none, or a wait), at most one idle tick; else returns at once.</summary>
    public async Task AfterAsync(AgentAction action, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = action switch
        {
            AgentAction.None => now + settings.IdleTick,
            AgentAction.Wait wait => wait.Until < now + settings.IdleTick ? wait.Until : now + settings.IdleTick,
            _ => (DateTimeOffset?)null,
        };
        if (until is not { } deadline)
        {
            return;
        }

        await ForChangeAsync(deadline - time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the node watch brings a change, the slot watch news, or <paramref name="delay"/> passes, whichever is first.</summary>
    public async Task ForChangeAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(delay, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var change = observer.Changes.WaitToReadAsync(linked.Token).AsTask();
            var news = slot.News.WaitToReadAsync(linked.Token).AsTask();
            var handed = staging.News.WaitToReadAsync(linked.Token).AsTask();
            await Task.WhenAny(change, news, handed).ConfigureAwait(false);
            // Whichever came first: the other waits end with the turn's token, not later on their own.
            await linked.CancelAsync().ConfigureAwait(false);
            await ((Task)Task.WhenAll(change, news, handed)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline passed without a change: look again.
        }
    }
}
