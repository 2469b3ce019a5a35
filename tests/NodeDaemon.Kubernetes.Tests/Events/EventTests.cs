using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Kubernetes.Tests.Events;

public sealed class EventTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_event_names_the_node_and_the_daemon()
    {
        var time = new FakeTimeProvider(Start);
        await using var world = await World.StartAsync(output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await world.Client.RecordEventAsync(NodeEventKind.Staging, "staging quay.example/os@sha256:aa", warning: false, cts.Token);

        var item = Assert.Single(Events(world));
        Assert.Equal("Node", item["involvedObject"]!["kind"]!.GetValue<string>());
        Assert.Equal("node-a", item["involvedObject"]!["name"]!.GetValue<string>());
        Assert.Equal(world.Node()["metadata"]!["uid"]!.GetValue<string>(), item["involvedObject"]!["uid"]!.GetValue<string>());
        Assert.Equal("Staging", item["reason"]!.GetValue<string>());
        Assert.Equal("staging quay.example/os@sha256:aa", item["message"]!.GetValue<string>());
        Assert.Equal("Normal", item["type"]!.GetValue<string>());
        Assert.Equal("nodedaemon", item["source"]!["component"]!.GetValue<string>());
        Assert.Equal("2026-11-25T10:00:00Z", item["firstTimestamp"]!.GetValue<string>());
        Assert.Equal("2026-11-25T10:00:00Z", item["lastTimestamp"]!.GetValue<string>());
        Assert.Equal(1, item["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_node_uid_comes_from_the_node_last_seen_else_from_one_read()
    {
        await using var world = await World.StartAsync(output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.ReportAsync(new NodeReport(Core.Agent.AgentCondition.Working, Core.Agent.AgentState.Staging, "", "staging", null), cts.Token);

        await world.Client.RecordEventAsync(NodeEventKind.Staging, "staging quay.example/os@sha256:aa", warning: false, cts.Token);
        Assert.Equal(0, world.Server.Requests["get nodes"]);

        await using var fresh = await World.StartAsync(output: output);
        await fresh.Client.RecordEventAsync(NodeEventKind.Staging, "staging", warning: false, cts.Token);
        await fresh.Client.RecordEventAsync(NodeEventKind.Staged, "staged", warning: false, cts.Token);
        Assert.Equal(1, fresh.Server.Requests["get nodes"]);
        Assert.All(Events(world).Concat(Events(fresh)), e => Assert.NotEqual("", e["involvedObject"]!["uid"]!.GetValue<string>()));
        Assert.Equal(world.Node()["metadata"]!["uid"]!.GetValue<string>(), Events(world).Single()["involvedObject"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repeat_counts_on_the_same_event_like_the_kubelet()
    {
        var time = new FakeTimeProvider(Start);
        await using var world = await World.StartAsync(output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await world.Client.RecordEventAsync(NodeEventKind.Degraded, "pull failed: 503", warning: true, cts.Token);
        time.Advance(TimeSpan.FromMinutes(3));
        await world.Client.RecordEventAsync(NodeEventKind.Degraded, "pull failed: 503", warning: true, cts.Token);
        await world.Client.RecordEventAsync(NodeEventKind.Degraded, "pull failed: 503", warning: true, cts.Token);

        var item = Assert.Single(Events(world));
        Assert.Equal(3, item["count"]!.GetValue<long>());
        Assert.Equal("Warning", item["type"]!.GetValue<string>());
        Assert.Equal("2026-11-25T10:00:00Z", item["firstTimestamp"]!.GetValue<string>());
        Assert.Equal("2026-11-25T10:03:00Z", item["lastTimestamp"]!.GetValue<string>());
        Assert.Equal(1, world.Server.Requests["create events"]);
        Assert.Equal(2, world.Server.Requests["patch events"]);
    }

    [Fact]
    public async Task Another_message_or_reason_is_another_event()
    {
        var time = new FakeTimeProvider(Start);
        await using var world = await World.StartAsync(output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // The clock stands still: the names must still differ.
        await world.Client.RecordEventAsync(NodeEventKind.Draining, "draining", warning: false, cts.Token);
        await world.Client.RecordEventAsync(NodeEventKind.Rebooting, "draining", warning: false, cts.Token);
        await world.Client.RecordEventAsync(NodeEventKind.Rebooting, "drained 3 pods", warning: false, cts.Token);

        Assert.Equal(3, Events(world).Count);
        Assert.All(Events(world), e => Assert.Equal(1, e["count"]!.GetValue<long>()));
    }

    [Fact]
    public async Task An_expired_event_is_written_anew()
    {
        var time = new FakeTimeProvider(Start);
        await using var world = await World.StartAsync(output: output, time: time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await world.Client.RecordEventAsync(NodeEventKind.Rebooting, "rebooting", warning: false, cts.Token);
        var first = Assert.Single(Events(world));
        world.Server.Store.Remove(ResourceTypes.Events, "default", first["metadata"]!["name"]!.GetValue<string>());
        time.Advance(TimeSpan.FromHours(2));

        await world.Client.RecordEventAsync(NodeEventKind.Rebooting, "rebooting", warning: false, cts.Token);

        var second = Assert.Single(Events(world));
        Assert.Equal(1, second["count"]!.GetValue<long>());
        Assert.Equal("2026-11-25T12:00:00Z", second["firstTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_are_retried_through_server_errors()
    {
        await using var world = await World.StartAsync(output: output);
        world.Server.Faults.Set(new Sim.KubeApi.Faults.FaultSettings
        {
            Seed = 4,
            Errors = [new Sim.KubeApi.Faults.ErrorFault { Status = 500, Rate = 0.5, Resource = "events" }],
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        for (var i = 0; i < 4; i++)
        {
            await world.Client.RecordEventAsync(NodeEventKind.Verified, "booted on the desired digest", warning: false, cts.Token);
        }

        Assert.Equal(4, Assert.Single(Events(world))["count"]!.GetValue<long>());
    }

    private static IReadOnlyList<JsonObject> Events(World world) => world.Server.Store.List(ResourceTypes.Events, "default");
}
