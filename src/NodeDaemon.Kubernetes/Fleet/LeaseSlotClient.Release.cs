using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The holder's side of <see cref="LeaseSlotClient"/>: renewing, and giving a slot back or handing it on.</summary>
public sealed partial class LeaseSlotClient
{
    /// <inheritdoc/>
    public async Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var renewed = await ForEachOwnAsync(member, "renew", async lease =>
            await PutAsync(lease, SlotLeaseBodies.Renew(lease, null, Keys, _time.GetUtcNow(), _options.LeaseDuration), member.Pool, ours: true, cancellationToken)
                .ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (renewed.Count == 0)
        {
            LogLost(member.NodeName, member.Pool);
            return false;
        }

        LogRenewed(string.Join(", ", renewed), member.NodeName);
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The slot goes straight to a node of the pool waiting for one (<see cref="SlotRules.Successor"/>), which its watch
    /// tells; only when none waits, or the pool is halted on what they wait for, is it left free. That costs the releaser
    /// one list of the pool's nodes, and spares every waiting node a list and a racing write per freed slot.
    /// Clearing or handing on rather than deleting: the Lease keeps its leaseTransitions history, and the daemon needs no
    /// delete permission. The PUT is conditional like every other, so a slot taken over meanwhile is left alone.
    /// </remarks>
    public async Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await ForEachOwnAsync(member, "release", lease => PassOnAsync(lease, member, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands <paramref name="lease"/> (ours) to the next waiting node of the pool, or frees it; false when it changed since it was read.</summary>
    private async Task<bool> PassOnAsync(SlotLease lease, SlotMember member, CancellationToken cancellationToken)
    {
        var nodes = await ListPoolAsync(member.Pool, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (SlotRules.Successor(nodes.Values, lease, _options.Fleet.HaltAfterFailures) is { } next)
        {
            var slots = _options.Fleet.SlotsFor(nodes.Count + (nodes.ContainsKey(member.NodeName) ? 0 : 1));
            var handOver = SlotLeaseBodies.HandOver(lease, next.Name, next.DesiredDigest!, slots, Keys, now, _options.LeaseDuration);
            if (!await PutAsync(lease, handOver, member.Pool, ours: false, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            LogHandedOver(lease.Name, member.NodeName, next.Name, next.DesiredDigest!);
            return true;
        }

        if (!await PutAsync(lease, SlotLeaseBodies.Release(lease, Keys, now), member.Pool, ours: false, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        LogReleased(lease.Name, member.NodeName);
        return true;
    }

    /// <summary>
    /// Applies <paramref name="write"/> to every Lease the member holds (those known from our own reads and writes first,
    /// without a list); the names written (empty: it holds none). A write that finds its Lease changed lists again.
    /// </summary>
    private async Task<List<string>> ForEachOwnAsync(SlotMember member, string what, Func<SlotLease, Task<bool>> write, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        var mine = _own.Own(member);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1 || mine.Count == 0)
            {
                mine = (await ListLeasesAsync(member, cancellationToken).ConfigureAwait(false)).FindAll(l => l.Holder == member.NodeName);
            }

            var done = true;
            foreach (var lease in mine.Where(l => !written.Contains(l.Name)))
            {
                if (await write(lease).ConfigureAwait(false))
                {
                    written.Add(lease.Name);
                }
                else
                {
                    // Changed since it was read (an admin, a takeover): list again and see whether it is still ours.
                    LogRaceLost(lease.Name, member.NodeName);
                    done = false;
                    break;
                }
            }

            if (done)
            {
                return written;
            }

            if (attempt >= Attempts)
            {
                throw new ClusterException($"{what} the slot of {member.NodeName}: its Lease kept changing ({attempt} attempts)", 409);
            }
        }
    }
}
