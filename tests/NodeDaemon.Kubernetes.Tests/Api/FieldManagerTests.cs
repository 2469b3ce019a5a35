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
