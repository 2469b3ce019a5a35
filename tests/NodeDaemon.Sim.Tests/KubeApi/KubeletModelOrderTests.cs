using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The kubelet model's posts keep their order when the machine is too busy to run timers on time.</summary>
public sealed class KubeletModelOrderTests
{
    private const string Good = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    [Fact]
    public async Task A_boot_ends_Ready_even_when_overdue_timers_run_newest_first()
    {
        // On a loaded 2-core machine the first post and the Ready post were both overdue, ran in the wrong order, and the
        // node stayed Ready=False for the whole boot: healthy fleet nodes failed the health gate (CI, 2026-12-05).
        var time = new LateTimers(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        await using var server = await Cluster.StartAsync(new TestApiServerOptions { Time = time });

        server.BootNode("node-a", Good);
        for (var round = 0; round < 10 && time.Pending > 0; round++)
        {
            time.RunOverdueNewestFirst();
        }

        var ready = ((JsonArray)server.Store.Get(ResourceTypes.Nodes, null, "node-a")!["status"]!["conditions"]!)
            .OfType<JsonObject>().Single(c => (string?)c["type"] == "Ready");
        Assert.Equal(("True", "KubeletReady"), ((string?)ready["status"], (string?)ready["reason"]));
    }

    /// <summary>A clock that runs no timer by itself: every pending timer is overdue at once and runs when the test says,
    /// newest first, as a starved thread pool may run them.</summary>
    private sealed class LateTimers(DateTimeOffset now) : TimeProvider
    {
        private readonly List<TimerCallback> _pending = [];

        public int Pending
        {
            get
            {
                lock (_pending)
                {
                    return _pending.Count;
                }
            }
        }

        public override DateTimeOffset GetUtcNow() => now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_pending)
            {
                _pending.Add(_ => callback(state));
            }

            return new Inert();
        }

        public void RunOverdueNewestFirst()
        {
            List<TimerCallback> due;
            lock (_pending)
            {
                due = [.. _pending];
                _pending.Clear();
            }

            due.Reverse();
            foreach (var callback in due)
            {
                callback(null);
            }
        }

        private sealed class Inert : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
