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

        Assert.True((await world.Client.CordonAsync(cts.Token)).Changed);

        Assert.True(world.Unschedulable());
        Assert.Equal("nodedaemon", world.Annotation(Mark));
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
        var view = (await world.Client.GetAsync(cts.Token)).ToView(world.Options.Keys);
        Assert.True(view.Unschedulable);
        Assert.True(view.CordonedByUs);
    }

    [Fact]
    public async Task A_report_rides_with_the_cordon_and_the_uncordon_in_the_same_patch()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var draining = new NodeReport(Core.Agent.AgentCondition.Working, Core.Agent.AgentState.Draining, "", "draining for x", null);
        var verifying = new NodeReport(Core.Agent.AgentCondition.Working, Core.Agent.AgentState.Verifying, "", "lifting our cordon", "example/os@sha256:1");

        var cordon = await world.Client.CordonAsync(draining, cts.Token);

        Assert.True(cordon.Changed);
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
        Assert.Equal(("nodedaemon", "Draining", "draining for x"), (world.Annotation(Mark), world.Annotation("nodedaemon.io/phase"), world.Annotation("nodedaemon.io/message")));
        // The answer is the node as written, report included.
        Assert.Equal("Draining", cordon.Node.Annotation("nodedaemon.io/phase"));

        Assert.True((await world.Client.UncordonAsync(verifying, cts.Token)).Changed);

        Assert.Equal(2, world.Server.Requests["patch nodes"]);
        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
        Assert.Equal(("Working", "Verifying", "lifting our cordon", "example/os@sha256:1"), (world.Annotation("nodedaemon.io/state"),
            world.Annotation("nodedaemon.io/phase"), world.Annotation("nodedaemon.io/message"), world.Annotation("nodedaemon.io/current-image")));
    }

    [Fact]
    public async Task A_cordon_left_alone_writes_no_report_either()
    {
        await using var world = await World.StartAsync();
        world.SetUnschedulable(true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var report = new NodeReport(Core.Agent.AgentCondition.Working, Core.Agent.AgentState.Draining, "", "draining for x", null);

        Assert.False((await world.Client.CordonAsync(report, cts.Token)).Changed);
        Assert.False((await world.Client.UncordonAsync(report, cts.Token)).Changed);

        Assert.Equal(0, world.Server.Requests["patch nodes"]);
        Assert.Null(world.Annotation("nodedaemon.io/phase"));
    }

    [Fact]
    public async Task An_admins_cordon_is_neither_marked_nor_lifted()
    {
        await using var world = await World.StartAsync();
        world.SetUnschedulable(true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.False((await world.Client.CordonAsync(cts.Token)).Changed);
        Assert.False((await world.Client.UncordonAsync(cts.Token)).Changed);

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

        Assert.True((await world.Client.UncordonAsync(cts.Token)).Changed);

        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
        Assert.Equal(2, world.Server.Requests["patch nodes"]);
        Assert.False((await world.Client.UncordonAsync(cts.Token)).Changed);
    }

    [Fact]
    public async Task A_second_cordon_after_a_restart_sees_its_own_mark_and_writes_nothing()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.CordonAsync(cts.Token);

        Assert.False((await world.Client.CordonAsync(cts.Token)).Changed);

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

        Assert.True((await world.Client.CordonAsync(cts.Token)).Changed);

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

        var sender = new Kubernetes.Api.ApiSender(Kubernetes.Api.KubeApi.FromKubeconfig(world.Server.KubeconfigPath, TimeSpan.FromSeconds(5)), world.Options.Transport,
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var response = await sender.SendAsync(HttpMethod.Patch, Kubernetes.Api.KubePaths.Node("node-a"),
            Kubernetes.Annotations.NodePatches.Cordon(before.ResourceVersion, world.Options.Keys, "nodedaemon"), Kubernetes.Api.KubePaths.MergePatch, cts.Token, retryConflict: false);
        sender.Api.Dispose();

        Assert.Equal(409, response.StatusCode);
        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
    }

    [Fact]
    public async Task A_cordon_takes_its_precondition_from_the_node_last_seen_and_reads_nothing()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.GetAsync(cts.Token);
        world.Server.Requests.Reset();

        var result = await world.Client.CordonAsync(cts.Token);

        Assert.True(result.Changed);
        Assert.Equal(0, world.Server.Requests["get nodes"]);
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
        // The answer is the node as written, so the caller needs no read either.
        Assert.True(result.Node.Unschedulable);
        Assert.Equal("nodedaemon", result.Node.Annotation(Mark));
        Assert.Equal((string?)world.Node()["metadata"]?["resourceVersion"], result.Node.ResourceVersion);
    }

    [Fact]
    public async Task A_cordon_on_a_stale_version_gets_409_reads_once_and_writes_again()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.GetAsync(cts.Token);
        // An admin changes the node after our read: our version is stale.
        world.Annotate("example.com/owner", "team-a");
        world.Server.Requests.Reset();

        var result = await world.Client.CordonAsync(cts.Token);

        Assert.True(result.Changed);
        Assert.Equal(1, world.Server.Requests["get nodes"]);
        Assert.Equal(2, world.Server.Requests["patch nodes"]);
        Assert.True(world.Unschedulable());
        Assert.Equal("nodedaemon", world.Annotation(Mark));
        Assert.Equal("team-a", world.Annotation("example.com/owner"));
    }

    [Fact]
    public async Task A_stale_cordon_of_an_admin_is_read_again_before_the_answer_leave_it()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // Remembered unschedulable (an admin's cordon), lifted since: "nothing to do" is never answered from memory.
        world.SetUnschedulable(true);
        await world.Client.GetAsync(cts.Token);
        world.SetUnschedulable(false);
        world.Server.Requests.Reset();

        var result = await world.Client.CordonAsync(cts.Token);

        Assert.True(result.Changed);
        Assert.Equal(1, world.Server.Requests["get nodes"]);
        Assert.True(world.Unschedulable());
        Assert.Equal("nodedaemon", world.Annotation(Mark));
    }

    [Fact]
    public async Task An_admins_cordon_made_after_our_last_look_is_left_alone_after_a_409()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.GetAsync(cts.Token);
        world.SetUnschedulable(true);
        world.Server.Requests.Reset();

        var result = await world.Client.CordonAsync(cts.Token);

        Assert.False(result.Changed);
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
        Assert.Null(world.Annotation(Mark));
        Assert.False((await world.Client.UncordonAsync(cts.Token)).Changed);
        Assert.True(world.Unschedulable());
    }

    [Fact]
    public async Task An_uncordon_on_a_stale_version_gets_409_reads_once_and_lifts_our_cordon()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.CordonAsync(cts.Token);
        world.Annotate("example.com/owner", "team-a");
        world.Server.Requests.Reset();

        var result = await world.Client.UncordonAsync(cts.Token);

        Assert.True(result.Changed);
        Assert.Equal(1, world.Server.Requests["get nodes"]);
        Assert.Equal(2, world.Server.Requests["patch nodes"]);
        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
        Assert.False(result.Node.Unschedulable);
        Assert.Null(result.Node.Annotation(Mark));
    }

    [Fact]
    public async Task An_uncordon_right_after_our_cordon_reads_nothing()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.CordonAsync(cts.Token);
        world.Server.Requests.Reset();

        Assert.True((await world.Client.UncordonAsync(cts.Token)).Changed);

        Assert.Equal(0, world.Server.Requests["get nodes"]);
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task A_mark_missing_from_memory_is_read_again_before_the_answer_not_ours()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.GetAsync(cts.Token);
        // Our cordon, written by the process before a restart (another client): this one has not seen it.
        using (var before = KubeNodeClient.Create(world.Server.KubeconfigPath, world.Options, TimeProvider.System, new TestLogger(null)))
        {
            Assert.True((await before.CordonAsync(cts.Token)).Changed);
        }

        Assert.True((await world.Client.UncordonAsync(cts.Token)).Changed);

        Assert.False(world.Unschedulable());
        Assert.Null(world.Annotation(Mark));
    }
}
