using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Bench;

/// <summary>The daemon as a process: start to READY=1 and idle RSS of the AOT binary (the JIT build as the baseline in the
/// same run), and from the happy-path scenario the reaction (desired image annotated → Rebase started) and the API
/// requests of one update.</summary>
internal static class DaemonBench
{
    private const int Starts = 7;
    private const int Updates = 5;
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);

    public static async Task<JsonObject> RunAsync(string root)
    {
        var native = DaemonCommandLine.Native(Path.Combine(root, "artifacts", "bin", "nodedaemon"));
        var jit = DaemonCommandLine.Jit(Path.Combine(AppContext.BaseDirectory, "nodedaemon.dll"));
        var scenario = Scenario.Load(Path.Combine(root, "tests", "scenarios", "happy-path.json"));
        var library = Path.Combine(root, "tests", "scenarios");
        var aot = await StartsAsync(scenario, library, native);
        var baseline = await StartsAsync(scenario, library, jit);

        var reactions = new List<double>();
        var requests = new List<double>();
        var rss = new List<double>();
        for (var i = 0; i < Updates; i++)
        {
            var result = await new ScenarioRunner(scenario, library, native).RunAsync();
            if (!result.Passed)
            {
                throw new InvalidOperationException("the happy path failed: " + string.Join("; ", result.Failures));
            }

            var m = result.Document["measurements"]!;
            reactions.Add((long)m["reactionMs"]!);
            rss.Add((double)m["daemonRssMb"]!);
            requests.Add(result.Document["apiRequests"]!.AsObject().Sum(r => (int)r.Value!));
        }

        return new JsonObject
        {
            ["startToReadyMs"] = new JsonObject { ["aot"] = Median(aot.Ready), ["jit"] = Median(baseline.Ready), ["samples"] = Starts },
            ["idleRssMb"] = new JsonObject { ["aot"] = Median(aot.Rss), ["jit"] = Median(baseline.Rss), ["afterConvergingAot"] = Median(rss) },
            ["reactionMs"] = new JsonObject { ["median"] = Median(reactions), ["max"] = reactions.Max(), ["samples"] = Updates },
            ["apiRequestsPerUpdate"] = new JsonObject { ["median"] = Median(requests), ["max"] = requests.Max() },
            ["binaryMb"] = Math.Round(new FileInfo(native.FileName).Length / 1e6, 1),
        };
    }

    /// <summary>Starts the daemon against an idle simulated node: time to READY=1, then RSS after 5 s of nothing to do.</summary>
    private static async Task<(List<double> Ready, List<double> Rss)> StartsAsync(Scenario scenario, string library, DaemonCommandLine daemon)
    {
        var ready = new List<double>();
        var rss = new List<double>();
        using var notify = new NotifyCollector();
        var host = ScenarioFiles.HostState(scenario.Host, library);
        await using var world = await ScenarioWorld.StartAsync(scenario, host, daemon, [],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.SocketPath });
        for (var i = 0; i < Starts; i++)
        {
            var start = Stopwatch.GetTimestamp();
            world.StartDaemon();
            var deadline = start + (long)(s_readyTimeout.TotalSeconds * Stopwatch.Frequency);
            long? at;
            while ((at = notify.Arrival("READY=1", start)) is null && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(1);
            }

            ready.Add(Stopwatch.GetElapsedTime(start, at ?? throw new TimeoutException("no READY=1")).TotalMilliseconds);
            if (i == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                rss.Add(Rss(world.Daemon!.Id));
            }

            world.CrashDaemon();
        }

        return (ready, rss);
    }

    private static double Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0, 1);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2, 1);
    }
}
