using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Testing;

namespace NodeDaemon.Kubernetes.Tests.Annotations;

/// <summary>A node that moves under the client (the lifecycle controller's taint, the kubelet's reports): the conditional
/// cordon and uncordon meet 409, read the node again and go through.</summary>
public sealed class NodeChurnTests
{
    private const string Mark = "nodedaemon.io/cordoned-by";

    [Fact]
    public async Task The_taint_after_our_cordon_costs_the_uncordon_one_409_and_a_read_then_it_goes_through()
    {
        await using var world = await World.StartAsync(serverOptions: new TestApiServerOptions { TimeScale = 0.01, NodeChurn = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.True((await world.Client.CordonAsync(cts.Token)).Changed);
        // The controller's own write, a moment after the cordon: the node the client wrote is now stale.
        await WaitUntilAsync(() => Tainted(world), cts.Token);
        var taint = (world.Node()["spec"]!["taints"] as JsonArray)!.Single(t => (string?)t!["key"] == NodeLifecycle.UnschedulableTaint)!;
        Assert.Equal("NoSchedule", (string?)taint["effect"]);
        Assert.NotNull(taint["timeAdded"]);

        var lifted = await world.Client.UncordonAsync(cts.Token);

        Assert.True(lifted.Changed);
        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
        Assert.Equal(1, world.Server.Requests.Errors().GetValueOrDefault("patch nodes 409"));
        Assert.Equal(3, world.Server.Requests["patch nodes"]);
        // And the controller lifts the taint with the cordon.
        await WaitUntilAsync(() => !Tainted(world), cts.Token);
    }

    [Fact]
    public async Task The_kubelets_status_reports_change_the_resourceVersion_and_the_cordon_still_goes_through()
    {
        await using var world = await World.StartAsync(serverOptions: new TestApiServerOptions
        {
            TimeScale = 0.01,
            NodeChurn = true,
            // 1.5 s between reports at this scale: two heartbeats land in distinct seconds.
            NodeStatusReportFrequency = TimeSpan.FromSeconds(150),
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var before = await world.Client.GetAsync(cts.Token);
        var heartbeat = Heartbeat(world);

        await WaitUntilAsync(() => Heartbeat(world) != heartbeat, cts.Token);
        Assert.NotEqual(before.ResourceVersion, ObjectMeta.ResourceVersion(world.Node()));

        // The client holds the node from before the report: its cordon meets 409, reads again and writes.
        Assert.True((await world.Client.CordonAsync(cts.Token)).Changed);
        Assert.True(world.Unschedulable());
        Assert.Equal("nodedaemon", world.Annotation(Mark));
        Assert.Equal(1, world.Server.Requests.Errors().GetValueOrDefault("patch nodes 409"));
    }

    private static bool Tainted(World world) =>
        (world.Node()["spec"]?["taints"] as JsonArray ?? []).Any(t => (string?)t?["key"] == NodeLifecycle.UnschedulableTaint);

    private static string? Heartbeat(World world) =>
        (string?)(world.Node()["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().First()["lastHeartbeatTime"];

    private static Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken) =>
        Poll.UntilAsync(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return condition();
        }, "the node lifecycle controller");
}
