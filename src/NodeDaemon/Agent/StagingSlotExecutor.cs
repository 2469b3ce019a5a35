using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Agent;

/// <summary>Carries out the staging slot actions (<c>fleet.maxStaging</c>) against the staging slot seam, remembers whether
/// the node holds one or was refused, and renews the one held while the pull runs.</summary>
/// <remarks>Nothing here is persisted: a restarted daemon knows of no staging slot. If it still has to pull, its request
/// finds the Lease naming it and takes it up; if not, the Lease expires on its own (<see cref="IStagingSlotClient"/>).</remarks>
internal sealed partial class StagingSlotExecutor
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SlotWatch<string> _watch;
    // Refusals in a row for the refused target: the recheck doubles with each (StagingRecheck).
    private int _refusals;

    /// <summary>An executor asking <see cref="Client"/>.</summary>
    public StagingSlotExecutor(TimeProvider time, ILogger logger)
    {
        (_time, _logger) = (time, logger);
        _watch = new((member, cancellationToken) => Client.WatchAsync(member, cancellationToken), LogWatchEnded);
    }

    /// <summary>The seam; one that refuses every request unless pulls are bounded.</summary>
    public IStagingSlotClient Client { get; set; } = NoStagingSlotClient.Instance;

    /// <summary>The base time before a refused request is made again; the actual wait is 1–2 times this (jitter), doubled
    /// per refusal in a row up to 8 times (<see cref="StagingRecheck"/>).</summary>
    public TimeSpan Recheck { get; set; } = AgentLoop.DefaultStagingRecheck;

    /// <summary>The member the held staging slot was taken as; null when none is held.</summary>
    public SlotMember? Holder { get; private set; }

    /// <summary>The last request that got no staging slot, with when to ask again; null after one was taken.</summary>
    public StagingRefusal? Refusal { get; private set; }

    /// <summary>Becomes readable when the watch tells of a staging slot handed to this node; <see cref="TakeNews"/> applies it.</summary>
    public ChannelReader<string> News => _watch.News;

    /// <summary>Applies the watch's news, if any: a staging slot handed to us ends the wait, so the next turn takes it up.</summary>
    public void TakeNews()
    {
        while (_watch.News.TryRead(out _))
        {
            if (_watch.Member is not null && Refusal is { } refusal)
            {
                Refusal = refusal with { RetryAt = _time.GetUtcNow() };
            }
        }
    }

    /// <summary>Asks for a staging slot for <paramref name="target"/> and remembers the answer.</summary>
    public async Task<StagingAnswer> AcquireAsync(SlotMember member, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (Holder is { } old && old != member)
        {
            // Relabelled into another pool while holding one: the old pool's slot goes back first.
            await ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }

        var answer = await Client.AcquireAsync(member, target, cancellationToken).ConfigureAwait(false);
        if (answer is StagingAnswer.Taken)
        {
            (Holder, Refusal, _refusals) = (member, null, 0);
            await StopWatchingAsync().ConfigureAwait(false);
        }
        else
        {
            _refusals = Refusal?.Target == target ? _refusals + 1 : 1;
            var retryAt = _time.GetUtcNow() + StagingRecheck.Delay(Recheck, _refusals, Random.Shared.NextDouble());
            (Holder, Refusal) = (null, new StagingRefusal(answer.Message, target, retryAt));
            // Refused: a holder done pulling hands its slot to a waiting node, which learns it here (the recheck is for
            // what the watch cannot see: a holder that died and whose slot expires).
            await _watch.StartAsync(member).ConfigureAwait(false);
        }

        return answer;
    }

    /// <summary>Gives the held staging slot back; a no-op when none is held.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await StopWatchingAsync().ConfigureAwait(false);
        if (Holder is { } member)
        {
            await Client.ReleaseAsync(member, cancellationToken).ConfigureAwait(false);
        }

        Holder = null;
    }

    /// <summary>Renews the held staging slot every <see cref="IStagingSlotClient.RenewInterval"/> until the result is disposed
    /// (the pull ended); nothing when none is held.</summary>
    public IAsyncDisposable Renewing()
    {
        if (Holder is not { } member || Client.RenewInterval == Timeout.InfiniteTimeSpan)
        {
            return Renewal.None;
        }

        var stop = new CancellationTokenSource();
        return new Renewal(stop, RenewAsync(member, stop.Token));
    }

    private async Task RenewAsync(SlotMember member, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Client.RenewInterval, _time, cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!await Client.RenewAsync(member, cancellationToken).ConfigureAwait(false))
                    {
                        // Taken after it expired (this pull outlived it): the pull goes on; the release finds nothing to free.
                        LogRenewFailed(member.NodeName, "no staging slot names this node any more");
                    }
                }
                catch (ClusterException e)
                {
                    LogRenewFailed(member.NodeName, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The pull ended.
        }
    }

    /// <summary>Stops the watch for a handed staging slot, if it runs (a slot was taken, no pull is wanted, or the agent
    /// stops); its news goes with it, as no refusal waits for it.</summary>
    public Task StopWatchingAsync() => _watch.StopAsync();

    [LoggerMessage((int)Core.Diagnostics.LogEventId.StagingSlotWatchEnded, LogLevel.Warning,
        "the watch for a staging slot handed over in pool {Pool} ended: {Problem}; asking again on the recheck only")]
    private partial void LogWatchEnded(string pool, string problem);

    [LoggerMessage((int)Core.Diagnostics.LogEventId.StagingSlotRenewFailed, LogLevel.Warning,
        "could not renew the staging slot of {NodeName} during the pull: {Problem}")]
    private partial void LogRenewFailed(string nodeName, string problem);

    /// <summary>A renewal loop running until disposed.</summary>
    private sealed class Renewal(CancellationTokenSource? stop, Task running) : IAsyncDisposable
    {
        public static readonly Renewal None = new(null, Task.CompletedTask);

        public async ValueTask DisposeAsync()
        {
            if (stop is null)
            {
                return;
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stop.Dispose();
        }
    }
}
