using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Agent;

/// <summary>The agent's memory of its pool slot: whether it holds one, for which digest, and the last refusal.</summary>
/// <remarks>
/// Asking the API before every decision would cost two lists a turn for an answer that changes only through our own
/// requests; so the view is learned once at start (a slot is held across a restart and a reboot) and then follows
/// the answers. A slot taken over or deleted behind our back shows up at the next request (the Lease client then
/// finds none naming us) or the next start.
/// </remarks>
public sealed partial class SlotKeeper(ISlotClient client, TimeProvider time, ILogger logger)
{
    private SlotMember? _holder;
    private bool _learned;

    /// <summary>The base time before a refused request is made again; the actual wait is 1–2 times this (jitter).</summary>
    public TimeSpan Recheck { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A slot is held.</summary>
    public bool Held => _holder is not null;

    /// <summary>The digest the held slot names as this process wrote it; null when none is held or not known since the start.</summary>
    public Digest? Digest { get; private set; }

    /// <summary>The last request that got no slot, with when to ask again; null after a slot was taken.</summary>
    public SlotRefusal? Refusal { get; private set; }

    /// <summary>
    /// Once, when the pool is known: whether <paramref name="member"/> holds a slot already, and if so renews it (the
    /// holder is back after its reboot). Without a pool (the label is missing) nothing is asked, and it is tried again
    /// at the next turn.
    /// </summary>
    public async Task LearnAsync(SlotMember? member, CancellationToken cancellationToken)
    {
        if (_learned || member is null)
        {
            return;
        }

        if (await client.HoldsAsync(member, cancellationToken).ConfigureAwait(false)
            && await client.RenewAsync(member, cancellationToken).ConfigureAwait(false))
        {
            _holder = member;
            LogHeldAtStart(member.NodeName, member.Pool);
        }

        _learned = true;
    }

    /// <summary>Asks for a slot of <paramref name="member"/>'s pool for <paramref name="digest"/> and remembers the answer.</summary>
    public async Task<SlotAnswer> AcquireAsync(SlotMember member, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (_holder is { } old && old != member)
        {
            // Relabelled into another pool while holding: the old pool's slot is not the one to name the new digest.
            await ReleaseAsync(member, cancellationToken).ConfigureAwait(false);
        }

        var answer = await client.AcquireAsync(new SlotRequest(member, digest.ToString()), cancellationToken).ConfigureAwait(false);
        _learned = true;
        if (answer is SlotAnswer.Acquired or SlotAnswer.Held)
        {
            (_holder, Digest, Refusal) = (member, digest, null);
            return answer;
        }

        // Full or halted: the pool has no slot naming us (whatever we thought before). The jitter keeps a pool of
        // waiting nodes from asking in step after a release.
        var wait = Recheck * (1 + Random.Shared.NextDouble());
        (_holder, Digest, Refusal) = (null, null, new SlotRefusal(answer.Message, digest, time.GetUtcNow() + wait));
        LogRefused(digest.ToString(), member.Pool, answer.Message, Refusal.RetryAt);
        return answer;
    }

    /// <summary>Gives the held slot back (to the pool it was taken in); a no-op when none is held.</summary>
    public async Task ReleaseAsync(SlotMember? current, CancellationToken cancellationToken)
    {
        if ((_holder ?? current) is { } member)
        {
            await client.ReleaseAsync(member, cancellationToken).ConfigureAwait(false);
        }

        (_holder, Digest, Refusal) = (null, null, null);
    }
}
