using System.Text.Json.Nodes;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Sim.KubeApi.Store;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>The pool's nodes are listed metadata-only: the slot rules read names and annotations, never a node's status.</summary>
public sealed class PoolListTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_pool_list_asks_for_metadata_only_and_the_slot_rules_still_see_the_annotations()
    {
        // Nodes as a real cluster has them: a status of some size, here a list of images.
        await using var world = await StartAsync(4, maxUnavailable: "2", haltAfterFailures: 2, output: output);
        foreach (var node in NodeNames(4))
        {
            world.Server.Store.Update(ResourceTypes.Nodes, null, node, n =>
            {
                n["status"] = new JsonObject { ["images"] = new JsonArray([.. Enumerable.Range(0, 50).Select(i => (JsonNode)new JsonObject { ["names"] = new JsonArray($"quay.io/example/image-{i}@{D2}"), ["sizeBytes"] = 1_000_000 + i })]) };
                return n;
            });
        }

        world.Report("node-c", "Degraded", D0, D1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token));
        world.Report("node-d", "Degraded", D0, D1);
        var halted = Assert.IsType<SlotAnswer.Halted>(await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token));

        Assert.Equal(["node-c", "node-d"], halted.DegradedNodes);
        // node-a: its Degraded nodes before its take and after it; node-b: before (halted, nothing taken).
        Assert.Equal(3, world.Server.Requests["list nodes"]);
        Assert.Equal(world.Server.Requests["list nodes"], world.Server.Requests.MetadataOnly("list nodes"));
    }
}
