using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>The client's writes reach the server with fieldManager=nodedaemon, so the node's managedFields name the daemon.</summary>
public sealed class FieldManagerTests
{
    [Fact]
    public async Task Report_cordon_uncordon_and_event_all_name_the_field_manager()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var report = new NodeReport(Core.Agent.AgentCondition.Working, Core.Agent.AgentState.Draining, "", "draining", null);

        await world.Client.ReportAsync(report, cts.Token);
        await world.Client.CordonAsync(cts.Token);
        await world.Client.UncordonAsync(cts.Token);
        await world.Client.RecordEventAsync(NodeEventKind.Staged, "staged", false, cts.Token);

        Assert.True(world.Server.Requests["patch nodes"] >= 3);
        Assert.True(world.Server.Requests["create events"] >= 1);
        Assert.Empty(world.Server.Requests.Unmanaged());
        Assert.Contains(world.Node()["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "nodedaemon");
    }
}

/// <summary>Each write of the node client leaves a journal event with its own id.</summary>
public sealed class WriteLogTests
{
    [Fact]
    public async Task Report_cordon_uncordon_and_event_each_log_their_own_event_id()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var logger = new TestLogger(null);
        using var client = KubeNodeClient.Create(world.Server.KubeconfigPath, world.Options, TimeProvider.System, logger);

        await client.ReportAsync(new NodeReport(Core.Agent.AgentCondition.Working, Core.Agent.AgentState.Draining, "", "draining", null), cts.Token);
        await client.CordonAsync(cts.Token);
        await client.UncordonAsync(cts.Token);
        await client.RecordEventAsync(NodeEventKind.Staged, "staged", false, cts.Token);

        Assert.Equal(
            [
                $"Debug {(int)Core.Diagnostics.LogEventId.NodeAnnotated}",
                $"Information {(int)Core.Diagnostics.LogEventId.NodeCordoned}",
                $"Information {(int)Core.Diagnostics.LogEventId.NodeUncordoned}",
                $"Debug {(int)Core.Diagnostics.LogEventId.NodeEventRecorded}",
            ],
            logger.Lines.Select(l => string.Join(' ', l.Split(' ')[1..3])));
        Assert.Contains(logger.Lines, l => l.Contains("annotated node node-a: state Working, phase Draining", StringComparison.Ordinal));
    }
}
