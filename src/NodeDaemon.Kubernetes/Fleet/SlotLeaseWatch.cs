using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The waiting side of the slot Leases: a watch of the pool's Leases that tells of a slot handed over or freed.</summary>
/// <remarks>
/// One watch of the Lease namespace, selecting by the holder label only the Leases that name the member or are free
/// (a pool's names are told apart here), started from the version of the last Lease list, which the refused request
/// has just read. A Lease handed to the member is kept, so that taking it up is one write without a list. A Lease
/// leaving the selection (a free slot taken by another) arrives as DELETED, as does one an admin deleted: both end
/// the wait, and the next request sorts them out.
/// </remarks>
internal sealed class SlotLeaseWatch(KubeApi api, SlotLeaseStore store, SlotHolder holder, LeaseSlotClientOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Until cancelled, yields whenever a Lease is handed to <paramref name="member"/> or leaves it or becomes free.</summary>
    public async IAsyncEnumerable<SlotChance> WatchAsync(SlotMember member, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var ns = options.Fleet.LeaseNamespace;
        var keys = options.LeaseKeys;
        var from = store.ListedVersion;
        var selector = $"{keys.Holder} in ({SlotLeaseNames.HolderLabel(member.NodeName)},{SlotLeaseNames.FreeLabel})";
        var watch = new ResourceWatch(api, options.WaitTransport, time, logger, $"the slot Leases of pool {member.Pool}");
        await foreach (var change in watch.WatchAsync(KubePaths.LeasesSelected(ns, selector),
            (version, timeout) => KubePaths.LeaseWatch(ns, selector, version, timeout), cancellationToken, from).ConfigureAwait(false))
        {
            var seen = change switch
            {
                WatchEvent.Listed listed => listed.Items.Select(item => (Item: item, Deleted: false)),
                WatchEvent.Changed changed => [(changed.Object, changed.Type == "DELETED")],
                _ => [],
            };
            foreach (var (item, deleted) in seen)
            {
                if (SlotLease.Read(item, member.Pool, keys) is not { } lease)
                {
                    continue;
                }

                var ours = !deleted && lease.Holder == member.NodeName;
                var handed = ours && lease.HandedOverBy is not null;
                if (handed && store.Own(member).Exists(l => l.Name != lease.Name && l.HandedOverBy is null))
                {
                    // Handed a second slot after we took one up: two holders finishing together read the pool before
                    // our cordon showed, and both picked us. Left alone it would sit untaken until our own release.
                    store.Keep(lease, lease.Name, member.Pool);
                    await holder.PassOnStrayAsync(lease, member, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // Our own writes (a take-up) come back too: only a hand-over is news.
                store.Keep(ours ? lease : null, lease.Name, member.Pool);
                if (handed)
                {
                    yield return new SlotChance(lease.Name, HandedToUs: true);
                }
                else if (deleted || !lease.IsHeld)
                {
                    yield return new SlotChance(lease.Name, HandedToUs: false);
                }
            }
        }
    }
}
