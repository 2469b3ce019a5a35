using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>The staging slots' hand-over against the test API server: what the Leases say decides who is handed one.</summary>
public sealed class StagingHandOverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_that_gave_its_staging_slot_back_before_reporting_Staged_is_not_handed_another()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        world.Staging(3);

        using var a = Client(world);
        using var b = Client(world);
        Assert.IsType<StagingAnswer.Taken>(await a.AcquireAsync(Member("node-a"), D1, cts.Token));
        Assert.IsType<StagingAnswer.Taken>(await b.AcquireAsync(Member("node-b"), D1, cts.Token));

        // node-b's pull ends first: its slot goes to node-c, the one waiting, and node-b reports Staged only with its next step.
        await b.ReleaseAsync(Member("node-b"), cts.Token);
        // node-a's ends before that report: node-b still shows Staging, as a node waiting to pull does.
        await a.ReleaseAsync(Member("node-a"), cts.Token);

        // Handed to node-b, the slot would stall until its hand-over ran out: node-b never asks for it.
        Assert.Equal(["node-c"], world.Holders());
    }

    [Fact]
    public async Task A_holder_done_pulling_also_hands_on_a_slot_whose_holder_died()
    {
        await using var world = await StartAsync(4, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        world.Staging(4);

        using var a = Client(world);
        using var d = Client(world);
        Assert.IsType<StagingAnswer.Taken>(await a.AcquireAsync(Member("node-a"), D1, cts.Token));
        Assert.IsType<StagingAnswer.Taken>(await d.AcquireAsync(Member("node-d"), D1, cts.Token));

        // node-d dies mid-pull. Three minutes on (past the 2 min duration), node-a's pull ends: its slot goes to a waiting
        // node, and so does node-d's expired one, instead of waiting for a waiting node's recheck to find it.
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3));
        using var releaser = Client(world, later);
        await releaser.ReleaseAsync(Member("node-a"), cts.Token);

        Assert.Equal(["node-b", "node-c"], world.Holders());
    }

    private static LeaseStagingSlotClient Client(SlotWorld world, TimeProvider? time = null) =>
        LeaseStagingSlotClient.Create(world.Server.KubeconfigPath, new LeaseStagingSlotClientOptions
        {
            Fleet = world.Fleet with { MaxStaging = "2" },
            Transport = Transport(),
            NodeKeys = world.Keys,
        }, time ?? TimeProvider.System, world.Log, NoApiRequestObserver.Instance);
}
