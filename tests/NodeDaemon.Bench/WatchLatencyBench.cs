using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Kubernetes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Bench;

/// <summary>Time from an annotation change accepted by the API server to our node watch yielding it, median and p90 of 100.</summary>
internal static class WatchLatencyBench
{
    private const int Samples = 100;
    private const string Key = "bench.nodedaemon.io/seq";

    public static async Task<JsonObject> RunAsync()
    {
        var seed = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = "node-a" } }),
        };
        await using var server = await TestApiServer.StartAsync(seed);
        using var client = KubeNodeClient.Create(server.KubeconfigPath, new KubeNodeClientOptions { NodeName = "node-a" }, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var watch = client.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        if (!await watch.MoveNextAsync())
        {
            throw new InvalidOperationException("the watch ended before its first snapshot");
        }

        var times = new List<double>(Samples);
        for (var i = 0; i < Samples; i++)
        {
            var value = i.ToString(CultureInfo.InvariantCulture);
            var start = Stopwatch.GetTimestamp();

            // Writing through the store is the API server accepting the change: it is committed and fanned out to watches from here.
            server.Store.Update(ResourceTypes.Nodes, null, "node-a", node =>
            {
                var meta = (JsonObject)node["metadata"]!;
                var annotations = meta["annotations"] as JsonObject ?? [];
                annotations[Key] = value;
                meta["annotations"] = annotations;
                return node;
            });
            while (true)
            {
                if (!await watch.MoveNextAsync())
                {
                    throw new InvalidOperationException("the watch ended");
                }

                if (watch.Current.Annotation(Key) == value)
                {
                    break;
                }
            }

            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        await cts.CancelAsync();
        times.Sort();
        return new JsonObject
        {
            ["samples"] = Samples,
            ["medianMs"] = Math.Round(times[Samples / 2], 3),
            ["p90Ms"] = Math.Round(times[Samples * 9 / 10], 3),
        };
    }
}
