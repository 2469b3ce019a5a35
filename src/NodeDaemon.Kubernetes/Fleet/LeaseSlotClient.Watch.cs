using System.Runtime.CompilerServices;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Watch;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>The waiting side of <see cref="LeaseSlotClient"/>: a watch of the pool's Leases that tells of a slot handed over or freed.</summary>
public sealed partial class LeaseSlotClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// One watch of the Lease namespace, selecting by the holder label only the Leases that name the member or are free
    /// (a pool's names are told apart here), started from the version of the last Lease list, which the refused request
    /// has just read. A Lease handed to the member is kept, so that taking it up is one write without a list. A Lease
    /// leaving the selection (a free slot taken by another) arrives as DELETED, as does one an admin deleted: both end
    /// the wait, and the next request sorts them out.
    /// </remarks>
    public async IAsyncEnumerable<SlotChance> WatchAsync(SlotMember member, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var from = _listed.Version;
        var selector = $"{Keys.Holder} in ({SlotLeaseNames.HolderLabel(member.NodeName)},{SlotLeaseNames.FreeLabel})";
        var watch = new ResourceWatch(_api, _options.Transport, _time, _logger, $"the slot Leases of pool {member.Pool}");
        await foreach (var change in watch.WatchAsync(KubePaths.LeasesSelected(Namespace, selector),
            (version, timeout) => KubePaths.LeaseWatch(Namespace, selector, version, timeout), cancellationToken, from).ConfigureAwait(false))
        {
            var seen = change switch
            {
                WatchEvent.Listed listed => listed.Items.Select(item => (Item: item, Deleted: false)),
                WatchEvent.Changed changed => [(changed.Object, changed.Type == "DELETED")],
                _ => [],
            };
            foreach (var (item, deleted) in seen)
            {
                if (SlotLease.Read(item, member.Pool, Keys) is not { } lease)
                {
                    continue;
                }

                var ours = !deleted && lease.Holder == member.NodeName;
                var handed = ours && lease.HandedOverBy is not null;
                if (handed && _own.Own(member).Exists(l => l.Name != lease.Name && l.HandedOverBy is null))
                {
                    // Handed a second slot after we took one up: two holders finishing together read the pool before
                    // our cordon showed, and both picked us. Left alone it would sit untaken until our own release.
                    _own.Keep(lease, lease.Name, member.Pool);
                    await PassOnStrayAsync(lease, member, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // Our own writes (a take-up) come back too: only a hand-over is news.
                _own.Keep(ours ? lease : null, lease.Name, member.Pool);
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

    /// <summary>Hands a slot given to us while we hold another on; a failure is logged (the Lease stays handed to us until our release).</summary>
    private async Task PassOnStrayAsync(SlotLease stray, SlotMember member, CancellationToken cancellationToken)
    {
        try
        {
            if (!await PassOnAsync(stray, member, cancellationToken).ConfigureAwait(false))
            {
                LogRaceLost(stray.Name, member.NodeName);
            }
        }
        catch (ClusterException e)
        {
            LogStrayKept(stray.Name, member.NodeName, e.Message);
        }
    }
}
