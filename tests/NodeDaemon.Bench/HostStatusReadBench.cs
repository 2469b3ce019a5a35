using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Options;
using NodeDaemon.RpmOstree;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Bench;

/// <summary>A full host status read over D-Bus to the simulator (RegisterClient, Booted, Deployments, Rollback,
/// ActiveTransaction), median of 100, and the memory the client adds.</summary>
internal static class HostStatusReadBench
{
    private const int Reads = 100;

    public static async Task<JsonObject> RunAsync()
    {
        using var bus = await PrivateBus.StartAsync();
        var fixture = RepositoryPaths.RpmOstreeStatus("zincati-rpm-ostree-status.json");
        using var sim = await RpmOstreedProcess.StartAsync(bus, new RpmOstreedOptions(fixture));

        var before = Rss();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var host = new RpmOstreeHost(new RpmOstreeHostOptions(bus.Address, new StagingOptions()), null,
            new LogindRebooter(bus.Address), TimeProvider.System, NullLogger<RpmOstreeHost>.Instance);
        await host.ReadStatusAsync(CancellationToken.None);
        var times = new List<double>(Reads);
        for (var i = 0; i < Reads; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await host.ReadStatusAsync(CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var after = Rss();
        times.Sort();
        return new JsonObject
        {
            ["reads"] = Reads,
            ["medianMs"] = Math.Round(times[Reads / 2], 3),
            ["p90Ms"] = Math.Round(times[Reads * 9 / 10], 3),
            ["clientManagedKb"] = (managedAfter - managedBefore) / 1024,
            ["processRssDeltaKb"] = (after - before) / 1024,
        };
    }

    private static long Rss()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
