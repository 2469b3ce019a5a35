using System.Text.Json.Nodes;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Options;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Kubernetes.Tests.Drain;

/// <summary>Seeds, requests and checks shared by the drain tests.</summary>
internal static class DrainWorld
{
    /// <summary>The drain cluster with <paramref name="change"/> applied to its item list.</summary>
    public static JsonObject Seed(Action<JsonArray>? change = null)
    {
        var seed = World.Seed("drain-cluster.json");
        change?.Invoke(seed["items"]!.AsArray());
        return seed;
    }

    /// <summary>The web budget's <c>minAvailable</c> set to <paramref name="value"/>.</summary>
    public static Action<JsonArray> WebMinAvailable(int value) => items =>
        items.Single(i => i!["kind"]!.GetValue<string>() == "PodDisruptionBudget")!["spec"]!["minAvailable"] = value;

    /// <summary>Adds a pod on node-a.</summary>
    public static Action<JsonArray> AddPod(string ns, string name, JsonObject? labels = null, string? ownerKind = null) => items =>
        items.Add(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = labels ?? new JsonObject(),
                ["ownerReferences"] = ownerKind is null ? new JsonArray() : new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "batch/v1", ["kind"] = ownerKind, ["name"] = name + "-owner", ["uid"] = Guid.NewGuid().ToString(), ["controller"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "node-a",
                ["terminationGracePeriodSeconds"] = 5,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.example/x:1" }),
            },
        });

    /// <summary>A drain of everything the policies allow, with a bound that tests never reach when all goes well.</summary>
    public static DrainRequest Request(TimeSpan? timeout = null, bool emptyDir = true, bool unreplicated = false, string blocking = "", int concurrency = 10) =>
        new(new DrainOptions
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            DeleteEmptyDirData = emptyDir,
            EvictUnreplicated = unreplicated,
            BlockingPodSelector = blocking,
            Concurrency = concurrency,
        });

    /// <summary>Names of the pods on <paramref name="node"/> in the store.</summary>
    public static IReadOnlyList<string> PodsOn(World world, string node = "node-a") =>
        [.. world.Server.Store.List(ResourceTypes.Pods)
            .Where(p => p["spec"]?["nodeName"]?.GetValue<string>() == node)
            .Select(p => $"{p["metadata"]!["namespace"]}/{p["metadata"]!["name"]}")
            .Order(StringComparer.Ordinal)];
}

/// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool and lose ordering).</summary>
internal sealed class RecordingProgress : IProgress<DrainProgress>
{
    private readonly List<DrainProgress> _items = [];

    /// <summary>Everything reported so far.</summary>
    public IReadOnlyList<DrainProgress> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Report(DrainProgress value)
    {
        lock (_items)
        {
            _items.Add(value);
        }
    }
}

/// <summary>Samples every disruption budget's status while a drain runs and remembers any violation.</summary>
internal sealed class BudgetWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _violations = [];

    public BudgetWatch(World world)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var budget in world.Server.Store.List(ResourceTypes.PodDisruptionBudgets))
                {
                    var status = budget["status"];
                    var current = status?["currentHealthy"]?.GetValue<long>() ?? 0;
                    var desired = status?["desiredHealthy"]?.GetValue<long>() ?? 0;
                    if (current < desired)
                    {
                        lock (_violations)
                        {
                            _violations.Add($"{budget["metadata"]!["name"]}: {current} < {desired}");
                        }
                    }
                }

                await Task.Delay(2);
            }
        });
    }

    /// <summary>Every sample that saw fewer healthy pods than a budget needs.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations)
            {
                return [.. _violations];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
