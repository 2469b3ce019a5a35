using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes;
using NodeDaemon.Sim.Harness;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Bench;

/// <summary>Drains 60 budgeted pods off node-a with our drainer and with real <c>kubectl drain</c>, each against its own fresh server.</summary>
internal static class DrainBench
{
    private static readonly TestApiServerOptions _serverOptions = new() { TimeScale = 1, ReplacementReadyDelay = TimeSpan.FromSeconds(1) };

    public static async Task<JsonObject> RunAsync()
    {
        var (ours, oursViolations, outcome, oursEvictions, budgetWatches) = await RunOursAsync();
        var kubectl = FindKubectl();
        var version = await KubectlVersionAsync(kubectl);
        var (theirs, theirViolations, exitCode, theirEvictions) = await RunKubectlAsync(kubectl);
        return new JsonObject
        {
            ["pods"] = DrainSeed.Apps * DrainSeed.PodsPerApp,
            ["budgets"] = DrainSeed.Apps,
            ["oursSeconds"] = Math.Round(ours, 2),
            ["kubectlSeconds"] = Math.Round(theirs, 2),
            ["ratio"] = Math.Round(ours / theirs, 3),
            ["oursViolations"] = oursViolations,
            ["kubectlViolations"] = theirViolations,
            // Eviction requests sent (accepted and refused): a drain that asks again only when a budget can allow it
            // sends few more than one per pod; kubectl asks every 5 s per refused pod.
            ["oursEvictionRequests"] = oursEvictions,
            ["kubectlEvictionRequests"] = theirEvictions,
            ["oursBudgetWatches"] = budgetWatches,
            ["kubectlVersion"] = version,
            ["oursOutcome"] = outcome,
            ["kubectlExitCode"] = exitCode,
        };
    }

    private static async Task<(double Seconds, int Violations, string Outcome, int Evictions, int BudgetWatches)> RunOursAsync()
    {
        await using var server = await TestApiServer.StartAsync(DrainSeed.Build(), _serverOptions);
        using var client = KubeNodeClient.Create(server.KubeconfigPath, new KubeNodeClientOptions
        {
            NodeName = "node-a",
            EvictionRetryMinimum = TimeSpan.FromSeconds(5),
            PodPollInterval = TimeSpan.FromSeconds(1),
        }, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(360));
        await using var sampler = new BudgetSampler(server.Store);
        var start = Stopwatch.GetTimestamp();
        await client.CordonAsync(cts.Token);
        var result = await client.DrainAsync(new DrainRequest(new DrainOptions
        {
            Concurrency = 8,
            DeleteEmptyDirData = true,
            Timeout = TimeSpan.FromSeconds(300),
        }), null, cts.Token);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (seconds, sampler.Violations, result.Outcome.ToString(), server.Requests["create pods/eviction"], server.Requests["watch poddisruptionbudgets"]);
    }

    private static async Task<(double Seconds, int Violations, int ExitCode, int Evictions)> RunKubectlAsync(string kubectl)
    {
        await using var server = await TestApiServer.StartAsync(DrainSeed.Build(), _serverOptions);
        await using var sampler = new BudgetSampler(server.Store);
        var start = Stopwatch.GetTimestamp();
        var (exitCode, _) = await RunAsync(kubectl, "drain", "node-a", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=300s",
            "--kubeconfig", server.KubeconfigPath);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (seconds, sampler.Violations, exitCode, server.Requests["create pods/eviction"]);
    }

    // The newest versioned kubectl of the Cloud SDK, else the one on PATH.
    private static string FindKubectl()
    {
        const string dir = "/usr/lib/google-cloud-sdk/bin";
        if (Directory.Exists(dir))
        {
            var best = Directory.GetFiles(dir, "kubectl.1.*")
                .Select(f => (Path: f, Minor: int.TryParse(Path.GetFileName(f)["kubectl.1.".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : -1))
                .Where(f => f.Minor >= 0)
                .OrderByDescending(f => f.Minor)
                .FirstOrDefault();
            if (best.Path is not null)
            {
                return best.Path;
            }
        }

        return "kubectl";
    }

    private static async Task<string> KubectlVersionAsync(string kubectl)
    {
        var (exitCode, output) = await RunAsync(kubectl, "version", "--client", "-o", "json");
        return exitCode == 0 && JsonNode.Parse(output)?["clientVersion"]?["gitVersion"]?.GetValue<string>() is { } version ? version : "unknown";
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync($"{Path.GetFileName(file)} {string.Join(' ', args.Take(2))} exited {process.ExitCode}: {errors.Trim()}");
        }

        return (process.ExitCode, output);
    }
}
