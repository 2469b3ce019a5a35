using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Diagnostics;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>Each eviction the server accepts leaves one journal event (EvictionRequested, Information) naming the pod.</summary>
public sealed class EvictionLogTests
{
    [Fact]
    public async Task Every_accepted_eviction_logs_EvictionRequested_once_per_pod_and_names_the_field_manager()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var logger = new TestLogger(null);
        using var client = KubeNodeClient.Create(world.Server.KubeconfigPath, world.Options, TimeProvider.System, logger);
        await client.CordonAsync(cts.Token);

        var result = await client.DrainAsync(DrainWorld.Request(), null, cts.Token);

        Assert.Equal(DrainOutcome.Drained, result.Outcome);
        Assert.True(result.Evicted > 0);
        var logged = logger.Lines.Where(l => l.Contains($" Information {(int)LogEventId.EvictionRequested} eviction of ", StringComparison.Ordinal)).ToList();
        Assert.Equal(result.Evicted, logged.Count);
        Assert.Equal(result.Evicted, logged.Select(l => l.Split("eviction of ")[1].Split(' ')[0]).Distinct().Count());
        Assert.Empty(world.Server.Requests.Unmanaged());
    }
}
