using NodeDaemon.Core.Cluster;

namespace NodeDaemon.Kubernetes.Tests.Annotations;

public sealed class CordonTests
{
    private const string Mark = "nodedaemon.io/cordoned-by";

    [Fact]
    public async Task Cordon_of_a_schedulable_node_sets_both_in_one_patch()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.True(await world.Client.CordonAsync(cts.Token));

        Assert.True(world.Unschedulable());
        Assert.Equal("nodedaemon", world.Annotation(Mark));
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
        var view = (await world.Client.GetAsync(cts.Token)).ToView(world.Options.Keys);
        Assert.True(view.Unschedulable);
        Assert.True(view.CordonedByUs);
    }

    [Fact]
    public async Task An_admins_cordon_is_neither_marked_nor_lifted()
    {
        await using var world = await World.StartAsync();
        world.SetUnschedulable(true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.False(await world.Client.CordonAsync(cts.Token));
        Assert.False(await world.Client.UncordonAsync(cts.Token));

        Assert.True(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
        Assert.Equal(0, world.Server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task Uncordon_lifts_our_cordon_and_removes_the_mark_in_one_patch()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.CordonAsync(cts.Token);

        Assert.True(await world.Client.UncordonAsync(cts.Token));

        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
        Assert.Equal(2, world.Server.Requests["patch nodes"]);
        Assert.False(await world.Client.UncordonAsync(cts.Token));
    }

    [Fact]
    public async Task A_second_cordon_after_a_restart_sees_its_own_mark_and_writes_nothing()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.CordonAsync(cts.Token);

        Assert.False(await world.Client.CordonAsync(cts.Token));

        Assert.Equal("nodedaemon", world.Annotation(Mark));
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task Cordon_retries_through_server_errors()
    {
        await using var world = await World.StartAsync();
        world.Server.Faults.Set(new Sim.KubeApi.Faults.FaultSettings
        {
            Seed = 5,
            Errors = [new Sim.KubeApi.Faults.ErrorFault { Status = 500, Rate = 0.5, Resource = "nodes" }],
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.True(await world.Client.CordonAsync(cts.Token));

        Assert.True(world.Unschedulable());
        Assert.Equal("nodedaemon", world.Annotation(Mark));
    }

    [Fact]
    public async Task A_stale_cordon_patch_is_refused_instead_of_overwriting()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var before = await world.Client.GetAsync(cts.Token);
        // An admin changes the node after our read: the conditional patch must not win.
        world.SetUnschedulable(true);
        world.SetUnschedulable(false);

        var sender = new Kubernetes.Api.ApiSender(Kubernetes.Api.KubeApi.FromKubeconfig(world.Server.KubeconfigPath, TimeSpan.FromSeconds(5)), world.Options,
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var response = await sender.SendAsync(HttpMethod.Patch, Kubernetes.Api.KubePaths.Node("node-a"),
            Kubernetes.Annotations.NodePatches.Cordon(before.ResourceVersion, world.Options.Keys, "nodedaemon"), Kubernetes.Api.KubePaths.MergePatch, cts.Token, retryConflict: false);
        sender.Api.Dispose();

        Assert.Equal(409, response.StatusCode);
        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
    }
}
