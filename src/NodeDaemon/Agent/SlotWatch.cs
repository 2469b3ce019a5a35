using System.Threading.Channels;
using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Agent;

/// <summary>The one watch a slot executor runs while it waits (disruption slots and staging slots alike): started off the
/// agent's turn, its latest piece of news kept for the next turn, stopped when the wait is over.</summary>
/// <typeparam name="T">What the seam's watch yields.</typeparam>
/// <param name="watch">The seam's watch for a member.</param>
/// <param name="ended">Told the pool and the problem when the watch ends on an error (the recheck still comes; the wait is only slower).</param>
internal sealed class SlotWatch<T>(Func<SlotMember, CancellationToken, IAsyncEnumerable<T>> watch, Action<string, string> ended)
{
    // The latest news only: each piece makes the next turn look again, so older ones say nothing more.
    private readonly Channel<T> _news = Channel.CreateBounded<T>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private (SlotMember Member, CancellationTokenSource Stop, Task Pump)? _running;

    /// <summary>Becomes readable when the watch brings news.</summary>
    public ChannelReader<T> News => _news.Reader;

    /// <summary>The member watched for; null when no watch runs.</summary>
    public SlotMember? Member => _running?.Member;

    /// <summary>Starts the watch for <paramref name="member"/> unless it already runs; one for another member (relabelled
    /// into another pool) is stopped first.</summary>
    public async Task StartAsync(SlotMember member)
    {
        if (_running is { } running && running.Member == member)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        var stop = new CancellationTokenSource();
        _running = (member, stop, PumpAsync(member, stop.Token));
    }

    /// <summary>Stops the watch, if it runs, and drops its news: no wait is left for it to end.</summary>
    public async Task StopAsync()
    {
        if (_running is not { } running)
        {
            return;
        }

        _running = null;
        await running.Stop.CancelAsync().ConfigureAwait(false);
        await running.Pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        running.Stop.Dispose();
        while (_news.Reader.TryRead(out _))
        {
        }
    }

    private async Task PumpAsync(SlotMember member, CancellationToken cancellationToken)
    {
        // Off the caller's turn: the watch's first connection is opened in the background.
        await Task.Yield();
        try
        {
            await foreach (var item in watch(member, cancellationToken).ConfigureAwait(false))
            {
                _news.Writer.TryWrite(item);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: a slot was taken, or the agent stops.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The recheck still comes; the wait is only slower without the watch.
            ended(member.Pool, e.Message);
        }
    }
}
