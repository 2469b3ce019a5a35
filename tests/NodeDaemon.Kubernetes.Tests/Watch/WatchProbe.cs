using System.Threading.Channels;
using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Tests.Watch;

/// <summary>Runs a node watch in the background and hands its snapshots to the test, every wait bounded.</summary>
internal sealed class WatchProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<NodeSnapshot> _snapshots = Channel.CreateUnbounded<NodeSnapshot>();
    private readonly Task _pump;

    public WatchProbe(INodeClient client)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var snapshot in client.WatchAsync(_stop.Token))
                {
                    await _snapshots.Writer.WriteAsync(snapshot);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The test is over.
            }
            finally
            {
                _snapshots.Writer.TryComplete();
            }
        });
    }

    /// <summary>Every snapshot received so far and not yet taken.</summary>
    public int Count => _snapshots.Reader.Count;

    /// <summary>The first snapshot that satisfies <paramref name="match"/>, skipping others; fails after <paramref name="timeout"/>.</summary>
    public async Task<NodeSnapshot> NextAsync(Func<NodeSnapshot, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var snapshot = await _snapshots.Reader.ReadAsync(cts.Token);
                if (match(snapshot))
                {
                    return snapshot;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException("no matching node snapshot in time");
        }
    }

    /// <summary>The desired-image annotation equals <paramref name="value"/>.</summary>
    public static Func<NodeSnapshot, bool> Desired(string value) => s => s.Annotation("nodedaemon.io/desired-image") == value;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
