using NodeDaemon.Core.Agent;

namespace NodeDaemon.Agent;

/// <summary>The agent loop's waits between turns: for a change from the watch, slot news, a deadline or the idle tick.</summary>
public sealed partial class AgentLoop
{
    private async Task WaitAsync(AgentAction action, CancellationToken cancellationToken)
    {
        var until = action switch
        {
            AgentAction.None => time.GetUtcNow() + IdleTick,
            AgentAction.Wait wait => wait.Until < time.GetUtcNow() + IdleTick ? wait.Until : time.GetUtcNow() + IdleTick,
            _ => (DateTimeOffset?)null,
        };
        if (until is not { } deadline)
        {
            return;
        }

        await WaitForChangeAsync(deadline - time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the node watch brings a change, the slot watch news, or <paramref name="delay"/> passes, whichever is first.</summary>
    private async Task WaitForChangeAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(delay, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var change = _changes.Reader.WaitToReadAsync(linked.Token).AsTask();
            var news = _slot.News.WaitToReadAsync(linked.Token).AsTask();
            await Task.WhenAny(change, news).ConfigureAwait(false);
            // Whichever came first: the other wait ends with the turn's token, not later on its own.
            await linked.CancelAsync().ConfigureAwait(false);
            await ((Task)Task.WhenAll(change, news)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline passed without a change: look again.
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        await foreach (var snapshot in node.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            await _changes.Writer.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
    }
}
