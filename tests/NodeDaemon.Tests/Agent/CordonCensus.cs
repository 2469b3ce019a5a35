using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Tests.Agent;

/// <summary>Watches every write inside the store's lock: how many nodes were cordoned at once, and what the first holder said when the second took a slot.</summary>
internal sealed class CordonCensus(string first, string second, string stateKey) : IStoreReactor
{
    private readonly object _gate = new();

    /// <summary>The most nodes ever unschedulable at the same moment.</summary>
    public int MaxCordoned { get; private set; }

    /// <summary>The first node's (state annotation, unschedulable) at the write that first gave <c>second</c> a Lease; null until then.</summary>
    public (string? State, bool Unschedulable)? FirstWhenSecondTookASlot { get; private set; }

    public void OnChange(ObjectStore store, StoreEvent change)
    {
        var nodes = store.List(ResourceTypes.Nodes);
        var cordoned = nodes.Count(n => (bool?)n["spec"]?["unschedulable"] == true);
        var secondHolds = change.Resource == ResourceTypes.Leases && (string?)change.Item["spec"]?["holderIdentity"] == second;
        lock (_gate)
        {
            MaxCordoned = Math.Max(MaxCordoned, cordoned);
            if (secondHolds && FirstWhenSecondTookASlot is null && nodes.FirstOrDefault(n => Name(n) == first) is { } node)
            {
                FirstWhenSecondTookASlot = ((string?)node["metadata"]?["annotations"]?[stateKey], (bool?)node["spec"]?["unschedulable"] == true);
            }
        }
    }

    private static string? Name(JsonObject node) => (string?)node["metadata"]?["name"];
}
