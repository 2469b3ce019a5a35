using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Fleet;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Fleet;
using NodeDaemon.Sim.KubeApi.Store;
using static NodeDaemon.Kubernetes.Tests.Fleet.SlotWorld;

namespace NodeDaemon.Kubernetes.Tests.Fleet;

/// <summary>The staging bound under races: nodes asking, taking up hand-overs and giving back all at once, with the
/// releasers handing on every open slot, never have more staging Leases held than the limit.</summary>
public sealed class StagingBoundTests(ITestOutputHelper output)
{
    private const int Limit = 3;

    [Fact]
    public async Task Twelve_nodes_racing_for_three_staging_slots_never_hold_more_than_three()
    {
        await using var world = await StartAsync(12, output: output);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // One fake clock for every node, moving 1 ms per reading (so the clients' retry backoffs end), against an hour's
        // Lease duration: no Lease expires, so every held one counts and the limit is exact.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        var census = new HeldCensus();
        world.Server.Store.AddReactor(census);
        var nodes = NodeNames(12).ToList();
        world.Staging(nodes.Count);

        var pulling = 0;
        var peak = 0;
        var staged = 0;
        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            using var client = Client(world, time);
            var member = Member(node);
            while (true)
            {
                // A refused node asks again almost at once: many more races than a real recheck makes (a hot loop here
                // would starve the thread pool that the other clients' connections need).
                if (await client.AcquireAsync(member, D1, cts.Token) is not StagingAnswer.Taken)
                {
                    await Task.Delay(5, cts.Token);
                    continue;
                }

                var now = Interlocked.Increment(ref pulling);
                InterlockedMax(ref peak, now);
                await Task.Yield();
                Interlocked.Decrement(ref pulling);
                // Its pull ended. Reported Staged first: within the hour's duration a slot handed to a node that no longer
                // asks would not expire (the agent reports after the release; StagingHandOverTests covers that order).
                world.Annotate(node, (world.Keys.Phase, "Staged"));
                await client.ReleaseAsync(member, cts.Token);
                Interlocked.Increment(ref staged);
                return;
            }
        }, cts.Token)));

        Assert.Equal(12, staged);
        Assert.InRange(peak, 1, Limit);
        Assert.InRange(census.Peak, 1, Limit);
        Assert.True(census.Writes > 12, $"{census.Writes} Lease writes");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
            // Raised by another in between: read it again.
        }
    }

    private static LeaseStagingSlotClient Client(SlotWorld world, TimeProvider time) =>
        LeaseStagingSlotClient.Create(world.Server.KubeconfigPath, new LeaseStagingSlotClientOptions
        {
            Fleet = world.Fleet with { MaxStaging = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Transport = Transport(),
            NodeKeys = world.Keys,
            LeaseDuration = TimeSpan.FromHours(1),
        }, time, world.Log, NoApiRequestObserver.Instance);

    /// <summary>After every write in the store (inside its lock, so nothing is missed), how many staging Leases name a holder.</summary>
    private sealed class HeldCensus : IStoreReactor
    {
        private readonly Dictionary<string, bool> _held = new(StringComparer.Ordinal);

        public int Peak { get; private set; }

        public int Writes { get; private set; }

        public void OnChange(ObjectStore store, StoreEvent change)
        {
            if (change.Resource != ResourceTypes.Leases || StagingLeaseNames.IndexOf(ObjectMeta.Name(change.Item) ?? "", Pool) is null)
            {
                return;
            }

            Writes++;
            _held[ObjectMeta.Name(change.Item)!] = change.Type != "DELETED" && ((string?)change.Item["spec"]?["holderIdentity"] ?? "").Length > 0;
            Peak = Math.Max(Peak, _held.Values.Count(h => h));
        }
    }
}
