using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDaemon.Bench;

// Each benchmark returns named numbers; all of them go to one JSON file and a table.
var output = args.Length > 0 ? args[0] : "artifacts/bench.json";
var results = new JsonObject { ["machine"] = Machine.Describe() };
// The repository: the published binary and the scenario library are read from it.
var root = Directory.GetCurrentDirectory();
results["daemon"] = await DaemonBench.RunAsync(root);
results["hostStatusRead"] = await HostStatusReadBench.RunAsync();
results["watchReaction"] = await WatchLatencyBench.RunAsync();
results["drain"] = await DrainBench.RunAsync();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
