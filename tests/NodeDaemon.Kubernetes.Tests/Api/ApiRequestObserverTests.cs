using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using NodeDaemon.Core.Agent;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Kubernetes.Api;
using NodeDaemon.Kubernetes.Tests.Watch;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Faults;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>Every request the client sends is told to the observer once, with its verb and status, whichever path sent it.</summary>
public sealed class ApiRequestObserverTests
{
    /// <summary>A hand-written observer that counts by <c>"VERB code"</c>.</summary>
    private sealed class CountingObserver : IApiRequestObserver
    {
        public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public int Total => Counts.Values.Sum();

        public void Completed(string verb, int? statusCode) =>
            Counts.AddOrUpdate($"{verb} {statusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}", 1, (_, n) => n + 1);
    }

    [Fact]
    public async Task Reads_writes_retries_and_the_watch_are_each_counted_once_as_the_server_saw_them()
    {
        await using var server = await TestApiServer.StartAsync(World.Seed("drain-cluster.json"), new TestApiServerOptions { TimeScale = 0.01 });
        server.Faults.Set(new FaultSettings { Seed = 3, Errors = [new ErrorFault { Status = 500, Rate = 0.5, Resource = "nodes", Verb = "patch" }] });
        var observer = new CountingObserver();
        using var client = KubeNodeClient.Create(server.KubeconfigPath, World.FastOptions(), TimeProvider.System, new TestLogger(null), observer);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await client.GetAsync(cts.Token);
        for (var i = 0; i < 4; i++)
        {
            await client.ReportAsync(new NodeReport(AgentCondition.Working, AgentState.Staging, "", $"step {i}", null), cts.Token);
        }

        await client.RecordEventAsync(NodeEventKind.Staging, "staging", warning: false, cts.Token);
        await using (var probe = new WatchProbe(client))
        {
            await probe.NextAsync(_ => true);
            // A change seen through the watch means the stream is open, on both sides.
            server.Store.Update(Sim.KubeApi.Store.ResourceTypes.Nodes, null, "node-a", node =>
            {
                node["metadata"]!["labels"]!["observed"] = "yes";
                return node;
            });
            await probe.NextAsync(n => n.Labels.ContainsKey("observed"));
        }

        var seen = server.Requests.Snapshot();
        Assert.Equal(seen.Values.Sum(), observer.Total);
        Assert.Equal(seen["patch nodes"], observer.Counts.GetValueOrDefault("PATCH 200") + observer.Counts.GetValueOrDefault("PATCH 500"));
        Assert.True(observer.Counts.GetValueOrDefault("PATCH 500") > 0, "the fault rate should have forced retries");
        Assert.Equal(seen["watch nodes"], observer.Counts["WATCH 200"]);
        Assert.Equal(1, observer.Counts["POST 201"]);
    }

    [Fact]
    public async Task A_request_without_an_answer_is_counted_without_a_status()
    {
        // A port that was free a moment ago: nothing listens, every connect is refused.
        int port;
        using (var free = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            free.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)free.LocalEndPoint!).Port;
        }

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"nodedaemon-refused-{Guid.NewGuid():N}.yaml");
        Kubeconfig.Write(kubeconfig, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            var observer = new CountingObserver();
            using var client = KubeNodeClient.Create(kubeconfig, World.FastOptions(t => t with { WriteAttempts = 3 }), TimeProvider.System,
                new TestLogger(null), observer);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            await Assert.ThrowsAsync<ClusterException>(() => client.GetAsync(cts.Token));

            Assert.Equal(new Dictionary<string, int> { ["GET none"] = 3 }, observer.Counts);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
