using System.Threading.Channels;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Agent;

/// <summary>The agent's view of its own Node: the newest snapshot from the watch, or from the answer to our own write.</summary>
internal sealed class NodeObserver(INodeClient node, TimeProvider time)
{
    /// <summary>How long after a cordon or uncordon a watch event older than the node it wrote is ignored.</summary>
    private static readonly TimeSpan s_staleWatchWindow = TimeSpan.FromMinutes(1);

    private readonly Channel<NodeSnapshot> _changes = Channel.CreateBounded<NodeSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

    private NodeSnapshot? _node;
    private DateTimeOffset _writtenUntil = DateTimeOffset.MinValue;
    private volatile bool _watchDelivered;

    /// <summary>The node last seen; null before the first read.</summary>
    public NodeSnapshot? Latest => _node;

    /// <summary>The node watch is current: it runs and has delivered the node at least once in this process.</summary>
    /// <remarks>This process starts after the boot, so whatever its watch delivered (its first list, then each change) is the
    /// API's word from after the boot, and a change of the node since reaches <see cref="Latest"/> as an event. What it cannot
    /// tell is a connection that broke a moment ago and is not back yet: readers may wait on what it shows, never fail on it.</remarks>
    public bool WatchCurrent => _watchDelivered;

    /// <summary>Becomes readable when the watch brings a change.</summary>
    public ChannelReader<NodeSnapshot> Changes => _changes.Reader;

    /// <summary>Takes what the watch brought, then the node to decide on (read once when nothing came yet).</summary>
    public async Task<NodeSnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        TakeChanges();
        return _node ??= await node.GetAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes every change the watch brought so far.</summary>
    public void TakeChanges()
    {
        while (_changes.Reader.TryRead(out var newer))
        {
            Observe(newer);
        }
    }

    /// <summary>Decides next on the node as our write left it (the PATCH answer), not on a watch event that may still be on its way.</summary>
    public void Wrote(NodeSnapshot written)
    {
        _node = written;
        _writtenUntil = time.GetUtcNow() + s_staleWatchWindow;
    }

    /// <summary>Feeds the node watch into <see cref="Changes"/> until cancelled.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in node.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                // Before the snapshot is handed on: the turn it wakes must see the watch as current.
                _watchDelivered = true;
                await _changes.Writer.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _watchDelivered = false;
        }
    }

    /// <summary>Takes <paramref name="newer"/> from the watch as the node to decide on, unless our own write is newer.</summary>
    private void Observe(NodeSnapshot newer)
    {
        // A watch event still on its way when the loop took the node from a cordon's answer is older: keep the newer.
        // Only for a while, so that versions that went back (an etcd restore) cannot hide the watch for good.
        if (_node is null || time.GetUtcNow() >= _writtenUntil || !newer.IsOlderThan(_node))
        {
            _node = newer;
        }
    }
}
