using System.Globalization;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Bench;

/// <summary>Polls the store every 50 ms and counts samples where a budget had fewer Ready, non-deleting pods than its minimum.</summary>
internal sealed class BudgetSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _violations;
    private int _samples;

    public BudgetSampler(ObjectStore store, int expectedPerBudget)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample(store, expectedPerBudget);
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void Sample(ObjectStore store, int expected)
    {
        // Counted here from the pods themselves, not from the simulator's own budget status, so a bug there cannot hide one.
        var pods = store.List(ResourceTypes.Pods);
        foreach (var budget in store.List(ResourceTypes.PodDisruptionBudgets))
        {
            var ns = ObjectMeta.Namespace(budget);
            var selector = LabelSelector.FromObject(budget["spec"]?["selector"] as JsonObject);
            var healthy = pods.Count(p => ObjectMeta.Namespace(p) == ns && selector.Matches(ObjectMeta.Labels(p))
                && !PodStatus.IsTerminating(p) && PodStatus.IsReady(p));
            if (healthy < Minimum(budget, expected))
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
