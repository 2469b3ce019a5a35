using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The holder's side of the slot Leases: renewing, and giving a slot back or handing it on.</summary>
/// <remarks>
/// The slot goes straight to a node of the pool waiting for one (<see cref="SlotRules.Successor"/>), which its watch
/// tells; only when none waits, or the pool is halted on what they wait for, is it left free. That costs the releaser
/// one list of the pool's nodes, and spares every waiting node a list and a racing write per freed slot.
/// Clearing or handing on rather than deleting: the Lease keeps its leaseTransitions history, and the daemon needs no
/// delete permission. The PUT is conditional like every other, so a slot taken over meanwhile is left alone.
/// </remarks>
internal sealed class SlotHolder(SlotLeaseStore store, PoolNodeReader nodes, LeaseSlotClientOptions options, TimeProvider time, ILogger logger)
{
    private SlotLeaseKeys Keys => options.LeaseKeys;

    /// <summary>Writes a fresh renewTime on every Lease the member holds; false when it holds none (any more).</summary>
    public async Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken)
    {
        var renewed = await ForEachOwnAsync(member, "renew", async lease =>
            await store.PutAsync(lease, SlotLeaseBodies.Renew(lease, null, Keys, time.GetUtcNow(), options.LeaseDuration), member.Pool, ours: true, cancellationToken)
                .ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (renewed.Count == 0)
        {
            SlotLog.Lost(logger, member.NodeName, member.Pool);
            return false;
        }

        SlotLog.Renewed(logger, string.Join(", ", renewed), member.NodeName);
        return true;
    }

    /// <summary>Hands on or frees every Lease the member holds; a no-op when it holds none.</summary>
    public Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken) =>
        ForEachOwnAsync(member, "release", lease => PassOnAsync(lease, member, cancellationToken), cancellationToken);

    /// <summary>Hands <paramref name="lease"/> (ours) to the next waiting node of the pool, or frees it; false when it changed since it was read.</summary>
    public async Task<bool> PassOnAsync(SlotLease lease, SlotMember member, CancellationToken cancellationToken)
    {
        var (candidates, slots) = await ReadSuccessorsAsync(member, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (SlotRules.Successor(candidates, lease, options.Fleet.HaltAfterFailures) is { } next)
        {
            var handOver = SlotLeaseBodies.HandOver(lease, next.Name, next.DesiredDigest!, slots, Keys, now, options.LeaseDuration);
            if (!await store.PutAsync(lease, handOver, member.Pool, ours: false, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            SlotLog.HandedOver(logger, lease.Name, member.NodeName, next.Name, next.DesiredDigest!);
            return true;
        }

        if (!await store.PutAsync(lease, SlotLeaseBodies.Release(lease, Keys, now), member.Pool, ours: false, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        SlotLog.Released(logger, lease.Name, member.NodeName);
        return true;
    }

    /// <summary>
    /// The nodes a successor is chosen from, and the slot count to write. With a count of slots, the first that many
    /// waiting nodes and the Degraded ones (<see cref="PoolNodeReader.ListSuccessorsAsync"/>): the successor is the same
    /// as from the whole pool, since a slot's index picks among the first slot-count waiters. A percentage needs the pool
    /// counted, so it still reads every node.
    /// </summary>
    private async Task<(IReadOnlyCollection<PoolNode> Candidates, int Slots)> ReadSuccessorsAsync(SlotMember member, CancellationToken cancellationToken)
    {
        if (options.Fleet.FixedSlots is { } slots)
        {
            return (await nodes.ListSuccessorsAsync(member.Pool, slots, cancellationToken).ConfigureAwait(false), slots);
        }

        var pool = await nodes.ListPoolAsync(member.Pool, cancellationToken).ConfigureAwait(false);
        return (pool.Values, options.Fleet.SlotsFor(pool.Count + (pool.ContainsKey(member.NodeName) ? 0 : 1)));
    }

    /// <summary>Hands a slot given to us while we hold another on; a failure is logged (the Lease stays handed to us until our release).</summary>
    public async Task PassOnStrayAsync(SlotLease stray, SlotMember member, CancellationToken cancellationToken)
    {
        try
        {
            if (!await PassOnAsync(stray, member, cancellationToken).ConfigureAwait(false))
            {
                SlotLog.RaceLost(logger, stray.Name, member.NodeName);
            }
        }
        catch (ClusterException e)
        {
            SlotLog.StrayKept(logger, stray.Name, member.NodeName, e.Message);
        }
    }

    /// <summary>
    /// Applies <paramref name="write"/> to every Lease the member holds (those known from our own reads and writes first,
    /// without a list); the names written (empty: it holds none). A write that finds its Lease changed lists again.
    /// </summary>
    private async Task<List<string>> ForEachOwnAsync(SlotMember member, string what, Func<SlotLease, Task<bool>> write, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        var mine = store.Own(member);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1 || mine.Count == 0)
            {
                mine = (await store.ListAsync(member, cancellationToken).ConfigureAwait(false)).FindAll(l => l.Holder == member.NodeName);
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
                    SlotLog.RaceLost(logger, lease.Name, member.NodeName);
                    done = false;
                    break;
                }
            }

            if (done)
            {
                return written;
            }

            // Lost races before a renew or release gives up.
            if (attempt >= options.Transport.WriteAttempts)
            {
                throw new ClusterException($"{what} the slot of {member.NodeName}: its Lease kept changing ({attempt} attempts)", 409);
            }
        }
    }
}
