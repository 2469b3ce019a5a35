using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Agent;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;
using NodeDaemon.Health;
using NodeDaemon.Kubernetes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Sim.KubeApi.Store;
using NodeDaemon.Sim.Scenarios;
using NodeDaemon.State;
using NodeDaemon.Systemd;
using NodeDaemon.Testing;
using NodeDaemon.Tests.Agent;
using NodeDaemon.Tests.Shared;
using NodeDaemon.Tests.Systemd;
using Xunit.Abstractions;

namespace NodeDaemon.Tests.EndToEnd;

/// <summary>
/// How many API requests one update of one node costs: the real <see cref="AgentLoop"/> and <see cref="KubeNodeClient"/>
/// over HTTP to the test API server, a fake host, and the happy-path scenario's cluster (three evictable pods, two of
/// them under a budget that lets one go at a time, and a DaemonSet pod), through one reboot.
/// </summary>
/// <remarks>
/// A fleet must stay at or under 20 requests per node per update (slot requests come on top, issue 19); the bounds
/// below are the update's own part of it, per kind, with the health gate on as shipped, with the few requests that depend on timing (budget retries, polls) counted at the
/// most they can be here. Client and server timings are scaled down together (a 30 s grace period is 30 ms, a poll
/// 100 ms), so their ratios are those of a real cluster with the default options.
/// </remarks>
public sealed class ApiRequestBudgetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Desired = "quay.io/example/os@sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("nodedaemon-budget-");
    private TestApiServer? _server;

    private TestApiServer Server => _server!;

    public async Task InitializeAsync()
    {
        var scenario = Scenario.Load(Path.Combine(RepositoryPaths.Root, "tests", "scenarios", "happy-path.json"));
        _server = await TestApiServer.StartAsync(ScenarioSeed.Build(scenario), new TestApiServerOptions
        {
            TimeScale = 0.001,
            ReplacementReadyDelay = TimeSpan.FromSeconds(5),
        });
        Server.Store.Update(ResourceTypes.Nodes, null, scenario.Node.Name, node =>
        {
            var metadata = node["metadata"]!.AsObject();
            var annotations = metadata["annotations"] as JsonObject ?? [];
            annotations["nodedaemon.io/desired-image"] = Desired;
            metadata["annotations"] = annotations;
            return node;
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _state.Delete(recursive: true);
    }

    [Fact]
    public async Task One_update_through_a_reboot_stays_within_the_request_budget()
    {
        var host = new FakeHostSystem();
        await RunUntilAsync(host, "boot-1", () => host.Finalizations == 1 && Annotation("phase") == "Rebooting", "the reboot request");
        host.Reboot();
        // The node's kubelet starts again with the boot and posts Ready (the test API server's kubelet model), which
        // the health gate waits for before the uncordon.
        var before = NodeVersion();
        Server.BootNode("worker-1", host.Booted.ImageDigest?.ToString());
        // The new boot's daemon starts once the kubelet posted Ready again (its first post after the boot says NotReady, the
        // next Ready): the order this count assumes, in which the node watch's first list already shows this boot's Ready.
        await Poll.UntilAsync(() => NodeVersion() >= before + 2 && ReadyStatus() == "True", "the kubelet's Ready after the boot");
        await RunUntilAsync(host, "boot-2", () => Annotation("state") == "Done" && Annotation("phase") == "Idle", "Done after the reboot");

        var counts = Server.Requests.Snapshot();
        var total = counts.Values.Sum();
        output.WriteLine($"{total} requests: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
        Assert.Equal(1, host.Finalizations);
        Assert.Null(Annotation("cordoned-by"));

        // The budget, per kind (measured before the diets: 42, with 8 node reads, 12 node patches and a GET per evicted
        // pod per poll; then 26, with 8 node patches, a budget read and a list of the node's pods per poll; then 18,
        // with the uncordon and Done in two patches; then 21 with the Node conditions and the health gate on, of which
        // 4 node patches and 4 status patches; then 19, the reports without a cordon riding with the conditions; 20-21 with the
        // refusing budget's watch; 18-19 the gate reading the kubelet's Ready from the node watch; now 16-18, without the
        // Staging and Draining Events: 16, or 18 with a refusal; now 15-17, the cordon's Draining reason riding on the phase's
        // next write instead of a status write of its own).
        Assert.Equal(0, counts.GetValueOrDefault("get nodes"));                  // the gate reads the kubelet's Ready from the node watch, not with a GET
        Assert.Equal(0, counts.GetValueOrDefault("get pods"));                   // the watch of the node's pods instead
        Assert.Equal(0, counts.GetValueOrDefault("list nodes"));                 // the watch starts with the node's state
        Assert.Equal(2, counts.GetValueOrDefault("watch nodes"));                // one per process: before and after the reboot
        Assert.Equal(3, counts.GetValueOrDefault("create events"));              // Staged (with the pull's length), Rebooting (with the drain's count and length), Verified
        Assert.Equal(3, counts.GetValueOrDefault("create pods/eviction"));       // 3 pods, none refused: the second web pod waits on the watched budget
        Assert.Equal(0, counts.GetValueOrDefault("get poddisruptionbudgets"));   // the refusal names the budget and its numbers
        Assert.Equal(1, counts.GetValueOrDefault("watch poddisruptionbudgets")); // shop's budgets, streamed before the first eviction (3 pods there)
        Assert.Equal(1, counts.GetValueOrDefault("list pods"));                  // the plan
        Assert.Equal(1, counts.GetValueOrDefault("watch pods"));                 // from the plan's list until the evicted pods are gone
        Assert.Equal(2, counts.GetValueOrDefault("patch nodes"));                // cordon+Draining, uncordon+Done: the spec goes through nodes
        Assert.Equal(3, counts.GetValueOrDefault("patch nodes/status"));         // Staging and Rebooting (report and conditions in one), the conditions of UpToDate (Draining's reason rides on the Rebooting write)
        Assert.InRange(total, 0, 16);                                            // 16: 15 and 17 before, when the budget refused one eviction once (a 429 and the watch it opened)
    }

    private long NodeVersion() =>
        long.Parse((string?)Server.Store.Get(ResourceTypes.Nodes, null, "worker-1")?["metadata"]?["resourceVersion"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    private string? ReadyStatus() =>
        (Server.Store.Get(ResourceTypes.Nodes, null, "worker-1")?["status"]?["conditions"] as JsonArray)?
            .FirstOrDefault(c => (string?)c?["type"] == "Ready")?["status"]?.GetValue<string>();

    private string? Annotation(string key) =>
        (string?)Server.Store.Get(ResourceTypes.Nodes, null, "worker-1")?["metadata"]?["annotations"]?["nodedaemon.io/" + key];

    /// <summary>One daemon process: runs the loop until <paramref name="done"/>, lets it settle, and stops it.</summary>
    private async Task RunUntilAsync(FakeHostSystem host, string bootId, Func<bool> done, string what)
    {
        // As shipped: the health gate on, with its default checks (the kubelet's Ready since this boot, no local check).
        var options = new NodeDaemonOptions { NodeName = "worker-1" };
        using var node = KubeNodeClient.Create(Server.KubeconfigPath, KubeNodeClientOptions.From(options) with
        {
            Transport = new() { BackoffInitial = TimeSpan.FromMilliseconds(10), BackoffMax = TimeSpan.FromMilliseconds(200), RequestTimeout = TimeSpan.FromSeconds(10) },
            EvictionRetryMinimum = TimeSpan.FromMilliseconds(500),
            PodPollInterval = TimeSpan.FromMilliseconds(100),
        }, TimeProvider.System, NullLogger.Instance);
        var time = TimeProvider.System;
        var loop = new AgentLoop(node, host, Core.Fleet.NoSlotClient.Instance, new AgentRecordStore(_state.FullName, time, NullLogger<AgentRecordStore>.Instance),
            new FixedBootId(bootId), options, time, new AgentHeartbeat(time), new StatusReporter(new RecordingNotifier()), NullLogger<AgentLoop>.Instance)
        {
            HealthGate = new HealthGate(options.Health, node.HealthReader(), NoLocalChecks.Instance, NoLocalChecks.Instance, time, NullLogger<HealthGate>.Instance),
        };
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        try
        {
            // A generous bound on the real clock: beside other test classes on a loaded machine, 30 s of 10 ms polls was
            // not enough for the update after the reboot (it failed so on main too); alone it takes about 4 s.
            var waiting = System.Diagnostics.Stopwatch.StartNew();
            while (!done())
            {
                Assert.False(run.IsCompleted, $"the loop ended before {what}: {run.Exception?.Message}");
                Assert.True(waiting.Elapsed < TimeSpan.FromMinutes(2), $"no {what} after 2 min");
                await Task.Delay(10);
            }

            // Whatever the loop still does on its own after the condition counts too.
            await Task.Delay(300);
        }
        finally
        {
            await stop.CancelAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private sealed class FixedBootId(string id) : IBootIdSource
    {
        public string Read() => id;
    }

    /// <summary>No unit and no healthz URL is configured by default: the gate never asks these.</summary>
    private sealed class NoLocalChecks : IUnitStateReader, IHealthzProbe
    {
        public static NoLocalChecks Instance { get; } = new();

        public Task<UnitEvidence> ReadAsync(string unitName, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"the default gate reads no unit, asked for {unitName}");

        public Task<HealthzEvidence> ProbeAsync(Uri url, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"the default gate probes no healthz, asked for {url}");
    }
}
