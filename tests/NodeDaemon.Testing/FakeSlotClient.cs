using NodeDaemon.Core.Fleet;

namespace NodeDaemon.Core.Tests.Fleet;

/// <summary>An in-memory <see cref="ISlotClient"/> for every pool at once, with the Lease client's rules minus the API.</summary>
/// <remarks>Each pool has <paramref name="slots"/> slots; a slot is freed only by its holder or <see cref="Evict"/>
/// (a takeover); Degraded nodes are marked by hand.</remarks>
public sealed class FakeSlotClient(int slots, int haltAfterFailures = 1) : ISlotClient
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (string Node, string Digest)?[]> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<SlotMember, string> _degraded = [];
    private readonly List<(SlotMember Member, System.Threading.Channels.Channel<SlotChance> News)> _watchers = [];

    /// <summary>Requests seen, for tests that check the agent asked.</summary>
    public int Acquires { get; private set; }

    /// <summary>Renewals seen.</summary>
    public int Renews { get; private set; }

    /// <summary>Releases seen.</summary>
    public int Releases { get; private set; }

    /// <summary>Whether-held questions seen.</summary>
    public int HoldsQuestions { get; private set; }

    /// <summary>The holders of <paramref name="pool"/>'s slots, in slot order.</summary>
    public IReadOnlyList<string> Holders(string pool)
    {
        lock (_gate)
        {
            return [.. Slots(pool).OfType<(string Node, string Digest)>().Select(h => h.Node)];
        }
    }

    /// <summary>The digest the member's slot names, or null when it holds none.</summary>
    public string? DigestOf(SlotMember member)
    {
        lock (_gate)
        {
            return Slots(member.Pool).FirstOrDefault(h => h?.Node == member.NodeName)?.Digest;
        }
    }

    /// <summary>Marks the member Degraded on <paramref name="digest"/> (null: no longer Degraded).</summary>
    public void SetDegraded(SlotMember member, string? digest)
    {
        lock (_gate)
        {
            if (digest is null)
            {
                _degraded.Remove(member);
            }
            else
            {
                _degraded[member] = digest;
            }
        }
    }

    /// <summary>Watches open now.</summary>
    public int Watches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Frees the member's slot as a takeover would (its node is gone, or it finished); watchers of the pool hear of it.</summary>
    public void Evict(SlotMember member)
    {
        lock (_gate)
        {
            var slots = Slots(member.Pool);
            for (var i = 0; i < slots.Length; i++)
            {
                if (slots[i]?.Node == member.NodeName)
                {
                    slots[i] = null;
                    Tell(member.Pool, Name(member.Pool, i), to: null);
                }
            }
        }
    }

    /// <summary>Moves <paramref name="holder"/>'s slot to <paramref name="successor"/> as a hand-over does, and tells the successor's watch.</summary>
    public void HandOver(SlotMember holder, SlotMember successor, string digest)
    {
        lock (_gate)
        {
            var slots = Slots(holder.Pool);
            var i = Array.FindIndex(slots, h => h?.Node == holder.NodeName);
            slots[i] = (successor.NodeName, digest);
            Tell(holder.Pool, Name(holder.Pool, i), to: successor);
        }
    }

    public async IAsyncEnumerable<SlotChance> WatchAsync(SlotMember member, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var news = System.Threading.Channels.Channel.CreateUnbounded<SlotChance>();
        lock (_gate)
        {
            _watchers.Add((member, news));
        }

        try
        {
            await foreach (var chance in news.Reader.ReadAllAsync(cancellationToken))
            {
                yield return chance;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.RemoveAll(w => w.News == news);
            }
        }
    }

    // Under _gate: a freed slot (to: null) is news for every watcher of the pool, a handed one for its new holder only.
    private void Tell(string pool, string slot, SlotMember? to)
    {
        foreach (var (member, news) in _watchers.Where(w => w.Member.Pool == pool && (to is null || w.Member == to)))
        {
            news.Writer.TryWrite(new SlotChance(slot, HandedToUs: to is not null));
        }
    }

    public Task<SlotAnswer> AcquireAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            Acquires++;
            var (node, pool) = (request.Member.NodeName, request.Member.Pool);
            var slots = Slots(pool);
            var mine = Array.FindIndex(slots, h => h?.Node == node);
            if (mine >= 0)
            {
                slots[mine] = (node, request.DesiredDigest);
                return Task.FromResult<SlotAnswer>(new SlotAnswer.Held(Name(pool, mine)));
            }

            var degraded = _degraded.Where(d => d.Key.Pool == pool && d.Key.NodeName != node && d.Value == request.DesiredDigest)
                .Select(d => d.Key.NodeName).Order(StringComparer.Ordinal).ToList();
            if (degraded.Count >= haltAfterFailures)
            {
                return Task.FromResult<SlotAnswer>(new SlotAnswer.Halted(degraded, request.DesiredDigest));
            }

            var free = Array.FindIndex(slots, h => h is null);
            if (free < 0)
            {
                return Task.FromResult<SlotAnswer>(new SlotAnswer.Full([.. slots.Select(h => h!.Value.Node).Order(StringComparer.Ordinal)]));
            }

            slots[free] = (node, request.DesiredDigest);
            return Task.FromResult<SlotAnswer>(new SlotAnswer.Acquired(Name(pool, free)));
        }
    }

    public Task<bool> RenewAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_gate)
        {
            Renews++;
            return Task.FromResult(IsHolder(member));
        }
    }

    public Task ReleaseAsync(SlotMember member, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Releases++;
        }

        Evict(member);
        return Task.CompletedTask;
    }

    public Task<HeldSlot?> HoldsAsync(SlotMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_gate)
        {
            HoldsQuestions++;
            // As the daemon's Lease client answers after a restart: from its memory file, so the digest is not confirmed.
            var mine = Array.FindIndex(Slots(member.Pool), h => h?.Node == member.NodeName);
            return Task.FromResult<HeldSlot?>(mine < 0 ? null : new HeldSlot(Name(member.Pool, mine), null));
        }
    }

    private bool IsHolder(SlotMember member) => Array.Exists(Slots(member.Pool), h => h?.Node == member.NodeName);

    private (string Node, string Digest)?[] Slots(string pool)
    {
        if (!_pools.TryGetValue(pool, out var held))
        {
            _pools[pool] = held = new (string, string)?[slots];
        }

        return held;
    }

    private static string Name(string pool, int index) => $"{pool}-{index}";
}
