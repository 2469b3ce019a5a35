using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Agent;

/// <summary>Carries out the slot actions against the slot seam and keeps what the node knows about its slot in one
/// value (<see cref="SlotView"/>, whose pure rules say how each answer and each piece of news changes it).</summary>
/// <remarks>From a refusal to the release it runs the slot seam's watch, whose news the next turn applies.</remarks>
internal sealed partial class SlotExecutor
{
    private readonly ISlotClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SlotWatch<SlotChance> _watch;
    private bool _learned;

    /// <summary>An executor asking <paramref name="client"/>.</summary>
    public SlotExecutor(ISlotClient client, TimeProvider time, ILogger logger)
    {
        (_client, _time, _logger) = (client, time, logger);
        _watch = new(client.WatchAsync, LogWatchEnded);
    }

    /// <summary>
    /// The base time before a refused request is made again; the actual wait is 1–2 times this (jitter). The watch ends
    /// a wait as soon as a slot is handed over or freed; this is for what it cannot see: a halt lifted, a dead holder to
    /// take over. Each recheck lists the pool's nodes, so it is long: in a pool of hundreds some node rechecks every few
    /// seconds anyway, and a small pool waits at most an hour for a dead holder that the issue allows to stall it.
    /// </summary>
    public TimeSpan Recheck { get; set; } = AgentLoop.DefaultSlotRecheck;

    /// <summary>Whether the last answer to a slot request was <c>Halted</c> (the halt alert's series; docs/operations.md).</summary>
    public bool LastAnswerHalted { get; private set; }

    /// <summary>What the node knows about its slot now.</summary>
    public SlotView View { get; private set; } = SlotView.None;

    /// <summary>Becomes readable when the watch brings news; <see cref="TakeNews"/> applies it.</summary>
    public ChannelReader<SlotChance> News => _watch.News;

    /// <summary>
    /// Once, when the pool is known: whether <paramref name="member"/> holds a slot already, and if so, with
    /// <paramref name="renew"/>, renews it (the holder is back after its reboot). Without a pool (the label is missing)
    /// nothing is asked, and it is tried again at the next turn.
    /// </summary>
    public async Task LearnAsync(SlotMember? member, bool renew, CancellationToken cancellationToken)
    {
        if (_learned || member is null)
        {
            return;
        }

        if (await _client.HoldsAsync(member, cancellationToken).ConfigureAwait(false) is { } held
            && (!renew || await _client.RenewAsync(member, cancellationToken).ConfigureAwait(false)))
        {
            View = SlotView.Found(member, held);
            LogHeldAtStart(member.NodeName, member.Pool, renew ? "renewed it" : "giving it back once it is done");
        }

        _learned = true;
    }

    /// <summary>Asks for a slot of <paramref name="member"/>'s pool for <paramref name="digest"/> and remembers the answer.</summary>
    public async Task<SlotAnswer> AcquireAsync(SlotMember member, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (View.Holder is { } old && old != member)
        {
            // Relabelled into another pool while holding: the old pool's slot is not the one to name the new digest.
            await ReleaseAsync(member, cancellationToken).ConfigureAwait(false);
        }

        var answer = await _client.AcquireAsync(new SlotRequest(member, digest.ToString()), cancellationToken).ConfigureAwait(false);
        _learned = true;
        LastAnswerHalted = answer is SlotAnswer.Halted;
        View = SlotView.Answered(answer, member, digest, SlotView.RetryAt(_time.GetUtcNow(), Recheck, Random.Shared.NextDouble()));
        // A watch started by a refusal runs on until the release: a second slot handed to us by a holder that read
        // the pool before our cordon showed arrives after a slot taken, and the client hands it on from the watch.
        if (View.Refusal is { } refusal)
        {
            LogRefused(digest.ToString(), member.Pool, answer.Message, refusal.RetryAt);
            await _watch.StartAsync(member).ConfigureAwait(false);
        }

        return answer;
    }

    /// <summary>Applies the watch's news, if any: a slot handed to us is held (not taken up yet), a freed one ends the wait.</summary>
    public void TakeNews()
    {
        while (_watch.News.TryRead(out var chance))
        {
            if (_watch.Member is not { } member)
            {
                // No watch runs (its news went when it stopped): no refusal is waited out, nothing was handed to us.
                continue;
            }

            if (chance.HandedToUs)
            {
                LogHandedOver(chance.Slot, member.NodeName);
            }

            View = View.After(chance, member, _time.GetUtcNow());
        }
    }

    /// <summary>Gives the held slot back (to the pool it was taken in); a no-op when none is held.</summary>
    public async Task ReleaseAsync(SlotMember? current, CancellationToken cancellationToken)
    {
        await StopWatchingAsync().ConfigureAwait(false);
        if ((View.Holder ?? current) is { } member)
        {
            await _client.ReleaseAsync(member, cancellationToken).ConfigureAwait(false);
        }

        View = SlotView.None;
    }

    /// <summary>Stops the slot watch, if it runs (a slot was taken or given back, or the agent stops).</summary>
    public Task StopWatchingAsync() => _watch.StopAsync();
}
