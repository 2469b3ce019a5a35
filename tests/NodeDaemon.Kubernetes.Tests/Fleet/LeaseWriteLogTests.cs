using NodeDaemon.Core.Diagnostics;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>Each Lease write leaves a journal event with its own id, and names the daemon as its field manager.</summary>
public sealed class LeaseWriteLogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Creating_and_releasing_a_slot_log_LeaseCreated_and_LeaseUpdated_and_name_the_field_manager()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = world.Client();

        await client.AcquireAsync(Request("node-a"), cts.Token);
        await client.ReleaseAsync(Member("node-a"), cts.Token);

        Assert.Equal(1, world.Server.Requests["create leases"]);
        Assert.Equal(1, world.Server.Requests["update leases"]);
        Assert.Single(world.Log.Lines, l => l.Contains($" Information {(int)LogEventId.LeaseCreated} created Lease {Namespace}/nodedaemon-workers-0 ", StringComparison.Ordinal));
        Assert.Single(world.Log.Lines, l => l.Contains($" Debug {(int)LogEventId.LeaseUpdated} wrote Lease {Namespace}/nodedaemon-workers-0 ", StringComparison.Ordinal));
        Assert.Empty(world.Server.Requests.Unmanaged());
        Assert.Contains(world.Lease("nodedaemon-workers-0")!["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "nodedaemon");
    }
}
