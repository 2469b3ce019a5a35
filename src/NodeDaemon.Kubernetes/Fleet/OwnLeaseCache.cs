using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Kubernetes.Fleet;

/// <summary>
/// The latest version of each Lease naming the node, from our lists, writes and watch: a write to one of them needs no
/// list first (a stale one answers 409 and the list follows). One node per client, so no key for the node.
/// </summary>
/// <remarks>
/// Kept across restarts in a <see cref="SlotLeaseMemory"/> file, if there is one: loaded at construction, taken in at the
/// first call (which names the node), dropped by any list before that, and written whenever the cache changes.
/// </remarks>
internal sealed class OwnLeaseCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SlotLease> _own = new(StringComparer.Ordinal);
    private readonly SlotLeaseKeys _keys;
    private readonly SlotLeaseMemory? _memory;
    private (string Pool, List<JsonObject> Leases)? _recalled;

    /// <summary>A cache remembered in <paramref name="memoryPath"/> (empty: none).</summary>
    public OwnLeaseCache(string memoryPath, SlotLeaseKeys keys, ILogger logger)
    {
        _keys = keys;
        if (memoryPath.Length > 0)
        {
            _memory = new SlotLeaseMemory(memoryPath, logger);
            _recalled = _memory.Load();
        }
    }

    /// <summary>After a list of the pool's Leases: ours are exactly those naming <paramref name="member"/>.</summary>
    public void Listed(SlotMember member, IEnumerable<SlotLease> leases)
    {
        lock (_gate)
        {
            _recalled = null;
            _own.Clear();
            foreach (var lease in leases.Where(l => l.Holder == member.NodeName))
            {
                _own[lease.Name] = lease;
            }

            Remember(member.Pool);
        }
    }

    /// <summary>Keeps <paramref name="lease"/> of <paramref name="pool"/> as ours, or (null, or not held) forgets the Lease <paramref name="name"/>.</summary>
    public void Keep(SlotLease? lease, string name, string pool)
    {
        lock (_gate)
        {
            if (lease is { IsHeld: true })
            {
                _own[lease.Name] = lease;
            }
            else
            {
                _own.Remove(name);
            }

            Remember(pool);
        }
    }

    /// <summary>The Leases of <paramref name="member"/>'s pool known to name it, by index (at the first call: as remembered from before a restart).</summary>
    public List<SlotLease> Own(SlotMember member)
    {
        Recall(member);
        lock (_gate)
        {
            return [.. _own.Values.Where(l => SlotLeaseNames.IndexOf(l.Name, member.Pool) is not null).OrderBy(l => l.Index)];
        }
    }

    /// <summary>Takes the Leases remembered from before this process in, once; those of them that name <paramref name="member"/>.</summary>
    public List<SlotLease> Recall(SlotMember member)
    {
        lock (_gate)
        {
            if (_recalled is not { } recalled)
            {
                return [];
            }

            _recalled = null;
            var taken = new List<SlotLease>();
            foreach (var lease in recalled.Pool == member.Pool ? recalled.Leases : [])
            {
                if (SlotLease.Read(lease, member.Pool, _keys) is { } known && known.Holder == member.NodeName && _own.TryAdd(known.Name, known))
                {
                    taken.Add(known);
                }
            }

            return taken;
        }
    }

    /// <summary>Writes the cache to the memory file, if there is one (under the gate: one writer at a time).</summary>
    private void Remember(string pool) => _memory?.Save(pool, [.. _own.Values.Select(l => l.Object)]);
}
