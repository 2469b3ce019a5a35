using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Faults;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Each fault knob, set in process or through <c>POST /debug/faults</c>.</summary>
public sealed class FaultTests : ClusterTest
{
    [Fact]
    public async Task Unavailable_refuses_connections_then_listens_again_on_the_same_port()
    {
        using (var set = await Client.PostAsJsonAsync("/debug/faults", new { unavailableSeconds = 1.0 }))
        {
            Assert.Equal(204, (int)set.StatusCode);
        }

        await Cluster.WaitUntilAsync(() => !CanConnect(), TimeSpan.FromSeconds(5), "the listener to stop");
        using var fresh = Cluster.Client(Server);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/api/v1/nodes"));
        Assert.IsType<SocketException>(refused.InnerException);
        await Cluster.WaitUntilAsync(CanConnect, TimeSpan.FromSeconds(10), "the listener to come back");
        await Cluster.GetAsync(fresh, "/api/v1/nodes/node-a");
    }

    [Fact]
    public async Task Errors_at_a_rate_are_deterministic_for_a_seed_and_can_target_one_resource()
    {
        var settings = new FaultSettings { Seed = 7, Errors = [new ErrorFault { Status = 500, Rate = 0.5, Resource = "nodes", Verb = "get" }] };
        var first = await Outcomes(settings);
        var second = await Outcomes(settings);
        Assert.Equal(first, second);
        Assert.Contains(500, first);
        Assert.Contains(200, first);
        Assert.Equal(200, (int)(await Client.GetAsync("/api/v1/namespaces/shop/pods/cache-0")).StatusCode);

        Server.Faults.Set(new FaultSettings { Errors = [new ErrorFault { Status = 429, RetryAfterSeconds = 2, Resource = "pods/eviction" }] });
        using var throttled = await Cluster.SendAsync(Client, HttpMethod.Post, "/api/v1/namespaces/shop/pods/cache-0/eviction", "{}");
        Assert.Equal(429, (int)throttled.StatusCode);
        Assert.Equal("2", throttled.Headers.GetValues("Retry-After").Single());
        Assert.Equal("TooManyRequests", (string?)(await Cluster.JsonAsync(throttled))["reason"]);
    }

    [Fact]
    public async Task Watch_streams_are_cut_after_N_events_or_N_milliseconds()
    {
        Server.Faults.Set(new FaultSettings { WatchCutAfterEvents = 2 });
        await using (var watch = await WatchStream.OpenAsync(Client, "/api/v1/nodes?watch=true&timeoutSeconds=30"))
        {
            Assert.Equal("ADDED", (string?)(await watch.NextAsync())["type"]);
            Assert.Equal("ADDED", (string?)(await watch.NextAsync())["type"]);
            Assert.Null(await watch.NextOrEndAsync(TimeSpan.FromSeconds(5)));
        }

        Server.Faults.Set(new FaultSettings { WatchCutAfterMilliseconds = 300 });
        var clock = Stopwatch.StartNew();
        await using (var watch = await WatchStream.OpenAsync(Client, $"/api/v1/nodes?watch=true&resourceVersion={Server.Store.ResourceVersion}&timeoutSeconds=30"))
        {
            Assert.Null(await watch.NextOrEndAsync(TimeSpan.FromSeconds(5)));
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Latency_delays_every_answer()
    {
        Server.Faults.Set(new FaultSettings { LatencyMilliseconds = 300 });
        var clock = Stopwatch.StartNew();
        await Cluster.GetAsync(Client, "/api/v1/nodes/node-a");
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(5));

        // Cleared, the knob is off; how fast the next answer comes is the machine's business, not a test's.
        Server.Faults.Clear();
        Assert.Equal(0, Server.Faults.Current.LatencyMilliseconds);
        await Cluster.GetAsync(Client, "/api/v1/nodes/node-a");
    }

    private async Task<int[]> Outcomes(FaultSettings settings)
    {
        Server.Faults.Set(settings);
        var codes = new int[20];
        for (var i = 0; i < codes.Length; i++)
        {
            using var response = await Client.GetAsync("/api/v1/nodes/node-a");
            codes[i] = (int)response.StatusCode;
        }

        return codes;
    }

    private bool CanConnect()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(System.Net.IPAddress.Loopback, Server.Url.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
