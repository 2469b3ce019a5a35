using System.Diagnostics;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.Scenarios;

namespace NodeDaemon.Bench;

/// <summary>The daemon as a process: start to READY=1 and idle RSS of the AOT binary (the JIT build as the baseline in the
/// same run) with its smaps split, and from the happy-path scenario the reaction (desired image annotated → Rebase
/// started) and the API requests of one update.</summary>
internal static class DaemonBench
{
    private const int Starts = 7;
    private const int FootprintSamples = 3;
    private const int Updates = 5;
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_idlePeriod = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_idleStep = TimeSpan.FromMilliseconds(500);

    public static async Task<JsonObject> RunAsync(string root)
    {
        var native = DaemonCommandLine.Native(Path.Combine(root, "artifacts", "bin", "nodedaemon"));
        var jit = DaemonCommandLine.Jit(Path.Combine(AppContext.BaseDirectory, "nodedaemon.dll"));
        var scenario = Scenario.Load(Path.Combine(root, "tests", "scenarios", "happy-path.json"));
        var library = Path.Combine(root, "tests", "scenarios");
        var aot = await StartsAsync(scenario, library, native, Starts, 1);
        var baseline = await StartsAsync(scenario, library, jit, Starts, 1);

        var reactions = new List<double>();
        var requests = new List<double>();
        var rss = new List<double>();
        for (var i = 0; i < Updates; i++)
        {
            var result = await new ScenarioRunner(scenario, library, native) { SampleIdleRss = true }.RunAsync();
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
            ["startToReadyMs"] = new JsonObject { ["aot"] = Median(aot.Ready.WallMs), ["jit"] = Median(baseline.Ready.WallMs), ["samples"] = Starts },
            ["atReadyAot"] = aot.Ready.ToJson(),
            ["idleRssMb"] = new JsonObject { ["aot"] = Median(aot.Rss), ["jit"] = Median(baseline.Rss), ["afterConvergingAot"] = Median(rss) },
            ["idleSmapsAot"] = SmapsSplit.Median(aot.Splits).ToJson(),
            ["reactionMs"] = new JsonObject { ["median"] = Median(reactions), ["max"] = reactions.Max(), ["samples"] = Updates },
            ["apiRequestsPerUpdate"] = new JsonObject { ["median"] = Median(requests), ["max"] = requests.Max() },
            ["binaryMb"] = Math.Round(new FileInfo(native.FileName).Length / 1e6, 1),
        };
    }

    /// <summary>Only the AOT binary's idle footprint (<c>bench footprint</c>): the smaps split of <see cref="FootprintSamples"/>
    /// idle starts and the binary's size, without the JIT baseline and the happy paths, to measure one cut quickly.</summary>
    /// <remarks>The split at the usual moment (<see cref="SampleAfterReady"/>, one report after the start-up release), and
    /// over one more report period of <see cref="s_idlePeriod"/> sampled every <see cref="s_idleStep"/>: the median of
    /// that series is what an idle daemon holds most of the time (after the idle trim), its largest sample what a turn
    /// maps back before the trim.</remarks>
    public static async Task<JsonObject> FootprintAsync(string root)
    {
        var native = DaemonCommandLine.Native(Path.Combine(root, "artifacts", "bin", "nodedaemon"));
        var loaded = Scenario.Load(Path.Combine(root, "tests", "scenarios", "happy-path.json"));
        // A real kubelet reports every 5 min and an idle loop turns every 30 s; the scenario's 3 s would leave no idle
        // time between two turns to see.
        var scenario = loaded with { KubeletStatusSeconds = s_idlePeriod.TotalSeconds / loaded.ApiTimeScale };
        var starts = await StartsAsync(scenario, Path.Combine(root, "tests", "scenarios"), native, FootprintSamples, FootprintSamples, idleSeries: true);
        var json = SmapsSplit.Median(starts.Splits).ToJson();
        json["startToReadyMs"] = Median(starts.Ready.WallMs);
        json["atReady"] = starts.Ready.ToJson();
        json["samples"] = FootprintSamples;
        json["binaryBytes"] = new FileInfo(native.FileName).Length;
        json["idleMedian"] = SmapsSplit.Median(starts.IdleMedians).ToJson();
        json["idleLargest"] = SmapsSplit.Median(starts.IdleLargest).ToJson();
        json["idlePeriodSeconds"] = s_idlePeriod.TotalSeconds;
        // The daemon's CPU over that idle period (user + system, 10 ms ticks): what its turns and trims cost together.
        json["idleCpuMs"] = Median(starts.IdleCpuMs);
        return json;
    }

    /// <summary>Only start-up (<c>bench ready</c>): <see cref="ReadyStarts"/> starts of the AOT binary against an idle
    /// simulated node, each stopped at READY=1: wall time, and the daemon's CPU and minor faults at that moment.</summary>
    /// <remarks>For comparing two builds' start-up on a shared machine (docs/benchmarks.md, "Footprint: fourth pass"):
    /// the CPU and the faults are the daemon's own work, which the machine's load does not inflate as it does the wall time.</remarks>
    public static async Task<JsonObject> ReadyAsync(string root)
    {
        var native = DaemonCommandLine.Native(Path.Combine(root, "artifacts", "bin", "nodedaemon"));
        var scenario = Scenario.Load(Path.Combine(root, "tests", "scenarios", "happy-path.json"));
        var starts = await StartsAsync(scenario, Path.Combine(root, "tests", "scenarios"), native, ReadyStarts, 0);
        var json = starts.Ready.ToJson();
        json["wallMs"] = Median(starts.Ready.WallMs);
        json["samples"] = ReadyStarts;
        json["binaryBytes"] = new FileInfo(native.FileName).Length;
        return json;
    }

    private const int ReadyStarts = 15;

    /// <summary>Starts the daemon <paramref name="starts"/> times against an idle simulated node: time to READY=1, and for
    /// the first <paramref name="sampled"/> starts the RSS and its smaps split once the start-up release has run and the node
    /// has been reported once more (<see cref="SampleAfterReady"/>).</summary>
    private static async Task<(ReadyCosts Ready, List<double> Rss, List<SmapsSplit> Splits, List<SmapsSplit> IdleMedians, List<SmapsSplit> IdleLargest,
        List<double> IdleCpuMs)>
        StartsAsync(Scenario scenario, string library, DaemonCommandLine daemon, int starts, int sampled, bool idleSeries = false)
    {
        var idleMedians = new List<SmapsSplit>();
        var idleCpuMs = new List<double>();
        var idleLargest = new List<SmapsSplit>();
        var ready = new List<double>();
        var readyCpuMs = new List<double>();
        var readyFaults = new List<double>();
        var rss = new List<double>();
        var splits = new List<SmapsSplit>();
        var host = ScenarioFiles.HostState(scenario.Host, library);
        // The world plays systemd: its supervisor gives each run the notify socket and sees READY=1.
        await using var world = await ScenarioWorld.StartAsync(scenario, host, daemon, []);
        for (var i = 0; i < starts; i++)
        {
            var start = Stopwatch.GetTimestamp();
            world.StartDaemon();
            var deadline = start + (long)(s_readyTimeout.TotalSeconds * Stopwatch.Frequency);
            long? at;
            while ((at = world.Service.ReadyAt) is null && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(1);
            }

            ready.Add(Stopwatch.GetElapsedTime(start, at ?? throw new TimeoutException("no READY=1")).TotalMilliseconds);
            // What the start cost the daemon itself, read as soon as READY=1 is seen: its CPU and its minor faults do not
            // grow with the machine's load the way the wall time does, so two builds compare even on a busy machine.
            var (_, minorFaults) = CpuAndFaults(world.Daemon!.Id);
            readyCpuMs.Add(RunNanoseconds(world.Daemon!.Id) / 1e6);
            readyFaults.Add(minorFaults);
            if (i < sampled)
            {
                await Task.Delay(SampleAfterReady(scenario));
                var split = SmapsSplit.Read(world.Daemon!.Id, daemon.FileName);
                splits.Add(split);
                rss.Add(Math.Round(split.RssKb / 1024.0, 1));
                if (idleSeries)
                {
                    var series = new List<SmapsSplit>();
                    var cpuBefore = CpuTicks(world.Daemon!.Id);
                    var end = Stopwatch.GetTimestamp() + (long)(s_idlePeriod.TotalSeconds * Stopwatch.Frequency);
                    while (Stopwatch.GetTimestamp() < end)
                    {
                        series.Add(SmapsSplit.Read(world.Daemon!.Id, daemon.FileName));
                        await Task.Delay(s_idleStep);
                    }

                    idleCpuMs.Add((CpuTicks(world.Daemon!.Id) - cpuBefore) * 1000.0 / 100);
                    idleMedians.Add(SmapsSplit.Median(series));
                    idleLargest.Add(series.MaxBy(x => x.RssKb)!);
                }
            }

            world.CrashDaemon();
        }

        return (new ReadyCosts(ready, readyCpuMs, readyFaults), rss, splits, idleMedians, idleLargest, idleCpuMs);
    }

    /// <summary>When the idle split is read: <see cref="IdleSample.AfterReady"/> plus one period of the simulated kubelet's
    /// status report, so that one Node update (and the agent turn it wakes) has come after the start-up release.</summary>
    /// <remarks>Measured (docs/benchmarks.md, "Footprint"): each report wakes a turn that maps 5.4 MB of the binary's text
    /// and 2 MB of libraries again; at 5 s after READY=1 alone, whether a report had come yet was chance (16.0 or 18.4 MB
    /// for the same binary). A real node's kubelet reports every 5 min, so between reports a daemon holds what a turn
    /// touched: that is the idle figure.</remarks>
    private static TimeSpan SampleAfterReady(Scenario scenario) =>
        IdleSample.AfterReady + TimeSpan.FromSeconds(scenario.KubeletStatusSeconds * scenario.ApiTimeScale);

    /// <summary>User plus system CPU of process <paramref name="pid"/> in clock ticks (USER_HZ, 100 on Linux), from <c>/proc/PID/stat</c>.</summary>
    private static long CpuTicks(int pid) => CpuAndFaults(pid).CpuTicks;

    /// <summary>User plus system CPU in clock ticks and the minor page faults of process <paramref name="pid"/>, from <c>/proc/PID/stat</c>.</summary>
    private static (long CpuTicks, long MinorFaults) CpuAndFaults(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name in parentheses (which may hold spaces): state is field 3, minflt 10, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return (long.Parse(fields[11], culture) + long.Parse(fields[12], culture), long.Parse(fields[7], culture));
    }

    /// <summary>The CPU time of every live thread of process <paramref name="pid"/>, in nanoseconds (the first field of
    /// <c>/proc/PID/task/TID/schedstat</c>): finer than the 10 ms ticks of <c>stat</c>, which a 40 ms start rounds away.</summary>
    private static long RunNanoseconds(int pid)
    {
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                total += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read: its time is gone with it.
            }
        }

        return total;
    }

    /// <summary>Per start: wall time to READY=1, the daemon's CPU (its live threads' run time) and its minor faults when READY=1 was seen.</summary>
    private sealed record ReadyCosts(List<double> WallMs, List<double> CpuMs, List<double> MinorFaults)
    {
        public JsonObject ToJson() => new() { ["cpuMs"] = Math.Round(Median(CpuMs), 1), ["minorFaults"] = Median(MinorFaults) };
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2, 1);
    }
}
