namespace NodeDaemon.Metrics;

/// <summary>The connections still waiting for their request head, oldest first: the ones that give way when every slot is taken.</summary>
internal sealed class IdleConnections
{
    private readonly LinkedList<CancellationTokenSource> _waiting = [];
    private readonly Lock _lock = new();

    /// <summary>Registers a connection's eviction switch; disposing the answer unregisters it (its head arrived, or it ended).</summary>
    public IDisposable Add(CancellationTokenSource evict)
    {
        lock (_lock)
        {
            return new Registration(this, _waiting.AddLast(evict));
        }
    }

    /// <summary>Cancels the read of the connection that has waited longest; none when every connection is past its head.</summary>
    public void EvictOldest()
    {
        CancellationTokenSource? oldest;
        lock (_lock)
        {
            oldest = _waiting.First?.Value;
            if (oldest is not null)
            {
                _waiting.RemoveFirst();
            }
        }

        // Outside the lock: cancelling runs the connection's continuation inline, which unregisters under the lock.
        try
        {
            oldest?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished between the two steps: its slot is free already.
        }
    }

    private void Remove(LinkedListNode<CancellationTokenSource> node)
    {
        lock (_lock)
        {
            if (node.List is not null)
            {
                _waiting.Remove(node);
            }
        }
    }

    /// <summary>One registered connection.</summary>
    private sealed class Registration(IdleConnections owner, LinkedListNode<CancellationTokenSource> node) : IDisposable
    {
        public void Dispose() => owner.Remove(node);
    }
}
