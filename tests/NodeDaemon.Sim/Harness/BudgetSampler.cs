using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.Harness;

/// <summary>Polls the store every 50 ms and counts samples where a budget had fewer Ready, non-deleting pods than its minimum.</summary>
/// <remarks>A budget's expected pod count (what percentages and <c>maxUnavailable</c> refer to) is the number of pods
/// it selects when the sampler starts, so start it on the settled world, before any disruption.</remarks>
public sealed class BudgetSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _expected = [];
    private readonly Task _loop;
    private int _violations;
    private int _samples;

    /// <summary>Starts sampling every budget of <paramref name="store"/>.</summary>
    public BudgetSampler(ObjectStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var pods = store.List(ResourceTypes.Pods);
        foreach (var budget in store.List(ResourceTypes.PodDisruptionBudgets))
        {
            _expected[Key(budget)] = Selected(pods, budget).Count();
        }

        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample(store);
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    /// <summary>Samples (budget × poll) that saw a budget broken.</summary>
    public int Violations => Volatile.Read(ref _violations);

    /// <summary>Polls taken.</summary>
    public int Samples => Volatile.Read(ref _samples);

    /// <summary>Stops sampling.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static string Key(JsonObject budget) => $"{ObjectMeta.Namespace(budget)}/{ObjectMeta.Name(budget)}";

    private static IEnumerable<JsonObject> Selected(IEnumerable<JsonObject> pods, JsonObject budget)
    {
        var ns = ObjectMeta.Namespace(budget);
        var selector = LabelSelector.FromObject(budget["spec"]?["selector"] as JsonObject);
        return pods.Where(p => ObjectMeta.Namespace(p) == ns && selector.Matches(ObjectMeta.Labels(p)));
    }

    private void Sample(ObjectStore store)
    {
        // Counted here from the pods themselves, not from the simulator's own budget status, so a bug there cannot hide one.
        var pods = store.List(ResourceTypes.Pods);
        foreach (var budget in store.List(ResourceTypes.PodDisruptionBudgets))
        {
            var healthy = Selected(pods, budget).Count(p => !PodStatus.IsTerminating(p) && PodStatus.IsReady(p));
            if (healthy < Minimum(budget, _expected.GetValueOrDefault(Key(budget))))
            {
                Interlocked.Increment(ref _violations);
            }
        }

        Interlocked.Increment(ref _samples);
    }

    private static int Minimum(JsonObject budget, int expected)
    {
        if (budget["spec"]?["maxUnavailable"] is { } max)
        {
            return expected - Scaled(max, expected);
        }

        return budget["spec"]?["minAvailable"] is { } min ? Scaled(min, expected) : 0;
    }

    // Percentages round up, as the disruption controller does.
    private static int Scaled(JsonNode value, int total)
    {
        var text = value.ToString();
        return text.EndsWith('%')
            ? (int)Math.Ceiling(int.Parse(text[..^1], CultureInfo.InvariantCulture) * total / 100.0)
            : int.Parse(text, CultureInfo.InvariantCulture);
    }
}
