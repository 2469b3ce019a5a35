using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Annotations;
using NodeDaemon.Sim.KubeApi.Faults;

namespace NodeDaemon.Kubernetes.Tests.Annotations;

public sealed class ReportTests
{
    private static readonly NodeReport Working = new(AgentCondition.Working, AgentState.Staging, "", "pulling 3/7 layers", "quay.example/os@sha256:" + new string('a', 64));

    [Fact]
    public async Task Report_writes_only_our_keys_and_leaves_the_admins_alone()
    {
        await using var world = await World.StartAsync();
        world.Annotate("nodedaemon.io/desired-image", "quay.example/os@sha256:" + new string('b', 64));
        world.Annotate("example.com/owner", "team-a");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await world.Client.ReportAsync(Working, cts.Token);

        Assert.Equal("Working", world.Annotation("nodedaemon.io/state"));
        Assert.Equal("Staging", world.Annotation("nodedaemon.io/phase"));
        Assert.Equal("", world.Annotation("nodedaemon.io/reason"));
        Assert.Equal("pulling 3/7 layers", world.Annotation("nodedaemon.io/message"));
        Assert.Equal(Working.CurrentImage, world.Annotation("nodedaemon.io/current-image"));
        Assert.Equal("quay.example/os@sha256:" + new string('b', 64), world.Annotation("nodedaemon.io/desired-image"));
        Assert.Equal("team-a", world.Annotation("example.com/owner"));
        Assert.Equal(1, world.Server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task Report_without_a_current_image_keeps_the_one_written()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.ReportAsync(Working, cts.Token);

        await world.Client.ReportAsync(new NodeReport(AgentCondition.Degraded, AgentState.Degraded, "pull failed", "", null), cts.Token);

        Assert.Equal(Working.CurrentImage, world.Annotation("nodedaemon.io/current-image"));
        Assert.Equal("Degraded", world.Annotation("nodedaemon.io/state"));
        Assert.Equal("pull failed", world.Annotation("nodedaemon.io/reason"));
    }

    [Fact]
    public async Task A_Degraded_report_labels_the_node_and_the_next_report_takes_the_label_away()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? Label() => world.Node()["metadata"]?["labels"]?["nodedaemon.io/degraded"]?.GetValue<string>();

        await world.Client.ReportAsync(new NodeReport(AgentCondition.Degraded, AgentState.Degraded, "pull failed", "", null), cts.Token);
        Assert.Equal("true", Label());

        await world.Client.ReportAsync(Working, cts.Token);
        Assert.Null(Label());
        Assert.Equal(2, world.Server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task A_WaitingForSlot_report_labels_the_node_waiting_and_the_next_report_takes_the_label_away()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? Label() => world.Node()["metadata"]?["labels"]?["nodedaemon.io/waiting-for-slot"]?.GetValue<string>();

        await world.Client.ReportAsync(new NodeReport(AgentCondition.Working, AgentState.WaitingForSlot, "", "waiting for a slot", null), cts.Token);
        Assert.Equal("true", Label());

        await world.Client.ReportAsync(new NodeReport(AgentCondition.Working, AgentState.Draining, "", "draining", null), cts.Token);
        Assert.Null(Label());
    }

    [Fact]
    public async Task Report_is_retried_through_server_errors()
    {
        await using var world = await World.StartAsync();
        world.Server.Faults.Set(new FaultSettings { Seed = 3, Errors = [new ErrorFault { Status = 500, Rate = 0.6, Resource = "nodes", Verb = "patch" }] });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        for (var i = 0; i < 5; i++)
        {
            await world.Client.ReportAsync(Working with { Message = $"step {i}" }, cts.Token);
            Assert.Equal($"step {i}", world.Annotation("nodedaemon.io/message"));
        }

        Assert.True(world.Server.Requests["patch nodes"] > 5, "the fault rate should have forced retries");
    }

    [Fact]
    public async Task Report_gives_up_with_a_cluster_exception_when_the_server_keeps_failing()
    {
        await using var world = await World.StartAsync(options: World.FastOptions(t => t with { WriteAttempts = 3 }));
        world.Server.Faults.Set(new FaultSettings { Errors = [new ErrorFault { Status = 500, Rate = 1, Resource = "nodes", Verb = "patch" }] });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<ClusterException>(() => world.Client.ReportAsync(Working, cts.Token));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal(3, world.Server.Requests["patch nodes"]);
    }

    [Fact]
    public async Task Reason_is_cut_at_2000_characters_without_splitting_a_surrogate_pair()
    {
        await using var world = await World.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // 1999 ASCII characters, then emoji (two UTF-16 units each): the 2000th character is the first emoji.
        var reason = new string('x', 1999) + "😀😀😀";

        await world.Client.ReportAsync(new NodeReport(AgentCondition.Degraded, AgentState.Degraded, reason, "", null), cts.Token);

        Assert.Equal(new string('x', 1999) + "😀", world.Annotation("nodedaemon.io/reason"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2000)]
    [InlineData(2001)]
    public void Truncate_keeps_short_text_and_cuts_long_text_at_the_limit(int length)
    {
        var text = new string('r', length);

        var cut = ReasonText.Truncate(text);

        Assert.Equal(Math.Min(length, ReasonText.MaxCharacters), cut.Length);
    }

    [Fact]
    public async Task Machine_config_protocol_writes_the_mco_keys_and_keeps_ours_for_the_rest()
    {
        var options = World.FastOptions() with { Keys = AnnotationKeys.For(AnnotationProtocol.MachineConfigOperator, "nodedaemon.io/") };
        await using var world = await World.StartAsync(options: options);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await world.Client.ReportAsync(Working, cts.Token);

        Assert.Equal("Working", world.Annotation("machineconfiguration.openshift.io/state"));
        Assert.Equal(Working.CurrentImage, world.Annotation("machineconfiguration.openshift.io/currentImage"));
        Assert.Equal("", world.Annotation("machineconfiguration.openshift.io/reason"));
        Assert.Equal("Staging", world.Annotation("nodedaemon.io/phase"));
        Assert.Null(world.Annotation("nodedaemon.io/state"));
    }

    [Fact]
    public async Task Snapshot_view_reads_the_inputs_raw()
    {
        var options = World.FastOptions() with { Keys = AnnotationKeys.For(AnnotationProtocol.MachineConfigOperator, "nodedaemon.io/") };
        await using var world = await World.StartAsync(options: options);
        world.Annotate("machineconfiguration.openshift.io/desiredImage", "not a pullspec");
        world.Annotate("nodedaemon.io/paused", "True");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var node = await world.Client.GetAsync(cts.Token);
        var view = node.ToView(options.Keys);

        Assert.Equal(new NodeView("not a pullspec", Paused: true, Unschedulable: false, CordonedByUs: false), view);
        Assert.Equal("node-a", node.Name);
        Assert.NotEmpty(node.Uid);
        Assert.Equal("node-a", node.Labels["kubernetes.io/hostname"]);
    }
}
