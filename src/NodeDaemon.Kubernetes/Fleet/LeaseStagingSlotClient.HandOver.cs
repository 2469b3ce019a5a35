using System.Runtime.CompilerServices;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The hand-over of staging slots: a holder done pulling gives its slot to the next node waiting to pull, which
/// its watch of the Leases naming it tells.</summary>
/// <remarks>
/// Measured (docs/benchmarks.md, "Bounded staging"): with every waiter asking again every 30–60 s, a 500-node pool with
/// 20 staging slots spent most of its makespan waiting for a recheck and most of its requests on racing writes (409s).
/// The disruption slots' answer (<see cref="SlotHolder"/>, <see cref="SlotLeaseWatch"/>) works here too: the releaser
/// reads the pool once and writes the successor's name on the Lease (a conditional PUT like every other); the
/// successor's watch, on the Leases that carry its holder label only, brings that one write, and it takes the slot up
/// with one renewal. The bound holds as before: a handed Lease is live, so it counts against the limit until it is
/// taken up or its short hand-over duration runs out.
/// </remarks>
public sealed partial class LeaseStagingSlotClient
{
    /// <inheritdoc/>
    /// <remarks>Each Lease naming the member goes to a node still waiting to pull (<see cref="StagingPlanner.Successor"/>),
    /// or is freed when none waits: one list of the pool's staging Leases, one of its nodes, one PUT per Lease.</remarks>
    public async Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        _own = null;
        // A lost race (someone wrote a Lease between our list and our PUT) reads both again, once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var leases = await ListAsync(member.Pool, cancellationToken).ConfigureAwait(false);
            var mine = leases.FindAll(l => l.Holder == member.NodeName);
            if (mine.Count == 0)
            {
                return;
            }

            var pool = (await _nodes.ListPoolAsync(member.Pool, cancellationToken).ConfigureAwait(false)).Values;
            var slots = _options.Fleet.FixedStagingSlots ?? _options.Fleet.StagingSlotsFor(pool.Count);
            var lost = false;
            foreach (var lease in mine)
            {
                lost |= !await PassOnAsync(member, lease, leases, pool, slots, cancellationToken).ConfigureAwait(false);
            }

            if (!lost)
            {
                await FillOpenAsync(member, leases, pool, slots, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Hands each open staging slot the list showed (free, or expired: its holder died) to a node waiting to pull,
    /// while fewer than <paramref name="slots"/> are live; a lost race (someone took it first) ends it.</summary>
    /// <remarks>
    /// Measured (docs/benchmarks.md, "Bounded staging at 500"): a slot freed while no waiting node was in sight, or whose
    /// holder or hand-over successor died, stayed open until some waiting node's recheck found it, and the rechecks were
    /// what a 500-node pool spent most of its requests on. The releaser has just read the pool: it hands such a slot on
    /// with the same conditional PUT as its own, so the waiting nodes' rechecks can back off (<see cref="StagingRecheck"/>).
    /// </remarks>
    private async Task FillOpenAsync(SlotMember member, List<StagingLease> leases, IReadOnlyCollection<PoolNode> pool, int slots,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var open in StagingPlanner.Open(leases, member.NodeName, slots, now))
        {
            if (StagingPlanner.Successor(pool, leases, open, slots) is not { DesiredDigest: { } image } next)
            {
                return;
            }

            if (!await PutAsync(member, open, StagingLeaseBodies.HandOver(_options, open, member.Pool, next.Name, image, now), ours: false, cancellationToken)
                .ConfigureAwait(false))
            {
                return;
            }

            leases[leases.IndexOf(open)] = open with
            {
                Holder = next.Name, RenewedAt = now, Duration = _options.HandOverDuration, GivenBackBy = open.Holder.Length > 0 ? open.Holder : open.GivenBackBy,
            };
            LogHandedOver(open.Name, open.Holder.Length > 0 ? open.Holder : "(free)", next.Name);
        }
    }

    /// <summary>Until cancelled, yields the name of each staging Lease of the member's pool that is handed to the member.</summary>
    /// <remarks>Started from the version of the last Lease list (the refused request's), so a hand-over written since is not missed.</remarks>
    public async IAsyncEnumerable<string> WatchAsync(SlotMember member, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var selector = $"{_options.PoolLabelKey}={SlotLeaseNames.Segment(member.Pool)},{_options.HolderLabelKey}={SlotLeaseNames.HolderLabel(member.NodeName)}";
        var watch = new ResourceWatch(_api, _options.WaitTransport, _time, _logger, $"the staging Leases of pool {member.Pool}");
        await foreach (var change in watch.WatchAsync(KubePaths.LeasesSelected(Namespace, selector),
            (version, timeout) => KubePaths.LeaseWatch(Namespace, selector, version, timeout), cancellationToken, _listedVersion).ConfigureAwait(false))
        {
            var seen = change switch
            {
                WatchEvent.Listed listed => listed.Items,
                WatchEvent.Changed { Type: not "DELETED" } changed => [changed.Object],
                _ => [],
            };
            foreach (var item in seen)
            {
                if (StagingLease.Read(item, member.Pool, _options.GivenBackByKey) is { } lease && lease.Holder == member.NodeName)
                {
                    // Kept, so taking it up is one write without a list.
                    _own = new(member, lease);
                    yield return lease.Name;
                }
            }
        }
    }

    /// <summary>Takes up a Lease handed to the member that the watch brought: one renewal on its version; null when none
    /// is known or it changed since (then the caller lists).</summary>
    private async Task<StagingAnswer?> TakeUpAsync(SlotMember member, string digest, CancellationToken cancellationToken)
    {
        if (_own is not { } own || own.Member != member || own.Lease.Holder != member.NodeName)
        {
            return null;
        }

        if (!await PutAsync(member, own.Lease, StagingLeaseBodies.Renew(_options, own.Lease, _time.GetUtcNow()), ours: true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        LogTaken(own.Lease.Name, member.Pool, member.NodeName, digest);
        return new StagingAnswer.Taken(own.Lease.Name);
    }

    /// <summary>Hands <paramref name="lease"/> (ours) to the next node waiting to pull, or frees it; false on a lost race.</summary>
    private async Task<bool> PassOnAsync(SlotMember member, StagingLease lease, List<StagingLease> leases, IReadOnlyCollection<PoolNode> pool, int slots,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (StagingPlanner.Successor(pool, leases, lease, slots) is { DesiredDigest: { } image } next)
        {
            if (!await PutAsync(member, lease, StagingLeaseBodies.HandOver(_options, lease, member.Pool, next.Name, image, now), ours: false, cancellationToken)
                .ConfigureAwait(false))
            {
                return false;
            }

            // The successor now holds one: a second Lease of ours goes to another node.
            // As the server now has it: the successor holds it, and we are named as the node that gave it back (so neither
            // is handed another).
            leases[leases.IndexOf(lease)] = lease with { Holder = next.Name, RenewedAt = now, Duration = _options.HandOverDuration, GivenBackBy = member.NodeName };
            LogHandedOver(lease.Name, member.NodeName, next.Name);
            return true;
        }

        if (!await PutAsync(member, lease, StagingLeaseBodies.Release(_options, lease, now), ours: false, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        leases[leases.IndexOf(lease)] = lease with { Holder = "", GivenBackBy = member.NodeName };

        LogReleased(lease.Name, member.NodeName);
        return true;
    }

    /// <summary>The staging Lease known to name a member: from our own write, or handed to it and seen by the watch.</summary>
    private sealed record OwnLease(SlotMember Member, StagingLease Lease);
}
