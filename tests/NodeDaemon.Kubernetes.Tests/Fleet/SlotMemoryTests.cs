using NodeDaemon.Core.Fleet;
using NodeDaemon.Sim.KubeApi.Store;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>The Leases naming a node, remembered across its restarts: a shortcut that a stale memory cannot turn into a slot not held.</summary>
public sealed class SlotMemoryTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("nodedaemon-slot-memory-");

    private string MemoryPath => Path.Combine(_state.FullName, "slot-leases.json");

    public void Dispose() => _state.Delete(recursive: true);

    [Fact]
    public async Task A_holder_back_from_its_reboot_knows_its_slot_and_hands_it_on_without_listing_the_Leases()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-a", memoryPath: MemoryPath).AcquireAsync(Request("node-a"), cts.Token));
        Assert.IsType<SlotAnswer.Full>(await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token));
        world.Waiting("node-b", D1);
        var lists = world.Server.Requests["list leases"];

        // A new process (the reboot), with the same state directory.
        var restarted = world.Client("node-a", memoryPath: MemoryPath);
        // Remembered, not confirmed by the cluster: no digest (the agent asks for its slot again before disrupting).
        Assert.Equal(new HeldSlot("nodedaemon-workers-0", null), await restarted.HoldsAsync(Member("node-a"), cts.Token));
        await restarted.ReleaseAsync(Member("node-a"), cts.Token);

        Assert.Equal(lists, world.Server.Requests["list leases"]);
        Assert.Equal("node-b", world.Holder("nodedaemon-workers-0"));
        // Given back: nothing is remembered, and the next process asks the API.
        Assert.False(File.Exists(MemoryPath));
        Assert.Null(await world.Client("node-a", memoryPath: MemoryPath).HoldsAsync(Member("node-a"), cts.Token));
        Assert.Equal(lists + 1, world.Server.Requests["list leases"]);
    }

    [Fact]
    public async Task A_remembered_Lease_deleted_meanwhile_costs_a_failed_write_and_a_list_and_is_not_held()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-a", memoryPath: MemoryPath).AcquireAsync(Request("node-a"), cts.Token));
        // An admin deletes the Lease while node-a reboots; node-b takes the slot, created again.
        world.Server.Store.Remove(ResourceTypes.Leases, Namespace, "nodedaemon-workers-0");
        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-b").AcquireAsync(Request("node-b"), cts.Token));

        var restarted = world.Client("node-a", memoryPath: MemoryPath);
        // The memory answers at start; the first write on it finds the truth (a node whose reboot did not bring the
        // image renews), and the agent then asks again before it disrupts anything.
        Assert.NotNull(await restarted.HoldsAsync(Member("node-a"), cts.Token));
        Assert.False(await restarted.RenewAsync(Member("node-a"), cts.Token));
        Assert.IsType<SlotAnswer.Full>(await restarted.AcquireAsync(Request("node-a"), cts.Token));

        Assert.Equal(["node-b"], world.Holders());
        Assert.Equal(1, world.Server.Requests.Errors().GetValueOrDefault("update leases 409"));
    }

    [Fact]
    public async Task A_memory_of_another_node_or_pool_is_not_taken_for_ours()
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-b", memoryPath: MemoryPath).AcquireAsync(Request("node-b"), cts.Token));
        var lists = world.Server.Requests["list leases"];

        Assert.Null(await world.Client("node-a", memoryPath: MemoryPath).HoldsAsync(Member("node-a"), cts.Token));
        Assert.Null(await world.Client("node-b", memoryPath: MemoryPath).HoldsAsync(Member("node-b", pool: "other"), cts.Token));
        Assert.Equal(lists + 2, world.Server.Requests["list leases"]);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"pool":"workers"}""")]
    [InlineData("[]")]
    public async Task An_unreadable_memory_is_told_and_the_Leases_are_listed_instead(string content)
    {
        await using var world = await StartAsync(3, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.IsType<SlotAnswer.Acquired>(await world.Client("node-a").AcquireAsync(Request("node-a"), cts.Token));
        await File.WriteAllTextAsync(MemoryPath, content, cts.Token);
        var lists = world.Server.Requests["list leases"];

        Assert.NotNull(await world.Client("node-a", memoryPath: MemoryPath).HoldsAsync(Member("node-a"), cts.Token));

        Assert.Equal(lists + 1, world.Server.Requests["list leases"]);
        Assert.Contains(world.Log.Lines, l => l.Contains($"Slot memory {MemoryPath} is unreadable", StringComparison.Ordinal));
    }
}
