using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDaemon.Bench;

// Each benchmark returns named numbers; all of them go to one JSON file, and the headline ones to a table.
// Usage: NodeDaemon.Bench [output.json] [benchmark ...]; no names: all of them, in this order, into a new file.
var output = args.Length > 0 ? args[0] : "artifacts/bench.json";
// The repository: the published binary and the scenario library are read from it.
var root = Directory.GetCurrentDirectory();
var benchmarks = new (string Name, Func<Task<JsonNode>> Run)[]
{
    ("daemon", async () => await DaemonBench.RunAsync(root)),
    // Only the AOT binary's idle smaps split (part of "daemon" too): a quick measurement of one footprint cut.
    ("footprint", async () => await DaemonBench.FootprintAsync(root)),
    // Only start-up: READY=1's wall time, and the daemon's CPU and minor faults at that moment, over 15 starts.
    ("ready", async () => await DaemonBench.ReadyAsync(root)),
    ("hostStatusRead", async () => await HostStatusReadBench.RunAsync()),
    ("watchReaction", async () => await WatchLatencyBench.RunAsync()),
    ("drain", async () => await DrainBench.RunAsync()),
    // Last: hundreds of agents in this process, the heaviest run by far.
    ("fleet", async () => await FleetBench.RunAsync()),
    // Only when named: 2,000 nodes with 40 slots, 15-25 minutes on two cores.
    ("fleet2000", async () => await FleetBench.Run2000Async()),
};
var onlyWhenNamed = new HashSet<string>(StringComparer.Ordinal) { "fleet2000", "ready" };
var chosen = args.Skip(1).ToHashSet(StringComparer.Ordinal);
if (chosen.Except(benchmarks.Select(b => b.Name)).ToList() is { Count: > 0 } unknown)
{
    await Console.Error.WriteLineAsync($"unknown benchmark(s): {string.Join(", ", unknown)}; known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

// A partial run refreshes its own entries of an existing file and keeps the others.
var results = chosen.Count > 0 && File.Exists(output) && JsonNode.Parse(await File.ReadAllTextAsync(output)) is JsonObject previous ? previous : [];
results["machine"] = Machine.Describe();
foreach (var (name, run) in benchmarks.Where(b => chosen.Count == 0 ? !onlyWhenNamed.Contains(b.Name) : chosen.Contains(b.Name)))
{
    results[name] = await run();
}

var json = results.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, json);
Console.WriteLine(json);
Console.WriteLine();
Console.WriteLine(BenchTable.Render(results));
return 0;
