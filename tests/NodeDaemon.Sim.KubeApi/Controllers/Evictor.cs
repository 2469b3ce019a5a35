using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Controllers;

/// <summary>
/// The eviction subresource, after kubernetes pkg/registry/core/pod/storage/eviction.go: terminal, pending and terminating
/// pods go without consulting budgets; more than one budget is a <c>Failure</c> Status with code 500 in a 201 answer; a
/// budget with no disruption left is a 429; otherwise the budget records the disruption (<c>status.disruptedPods</c>, one
/// fewer allowed) and the pod is deleted gracefully.
/// </summary>
public sealed class Evictor
{
    private const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";
    private readonly ObjectStore _store;
    private readonly PodTerminator _terminator;

    /// <summary>An evictor over the store.</summary>
    public Evictor(ObjectStore store, PodTerminator terminator)
    {
        _store = store;
        _terminator = terminator;
    }

    /// <summary>Evicts one pod; returns the Status the real server answers with 201 (Success, or the multi-budget Failure),
    /// or throws the Status it answers as an error.</summary>
    public JsonObject Evict(string ns, string name, JsonObject? eviction)
    {
        var bodyName = (string?)eviction?["metadata"]?["name"];
        if (bodyName is not null && bodyName != name)
        {
            throw new ApiException(StatusErrors.BadRequest("name in URL does not match name in Eviction object"));
        }

        var options = eviction?["deleteOptions"] as JsonObject;
        var grace = JsonNumber.Read(options?["gracePeriodSeconds"]);
        var uid = (string?)options?["preconditions"]?["uid"];
        var rv = (string?)options?["preconditions"]?["resourceVersion"];
        lock (_store.Gate)
        {
            var pod = _store.Get(ResourceTypes.Pods, ns, name) ?? throw new ApiException(StatusErrors.NotFound(ResourceTypes.Pods, name));
            if (PodStatus.Phase(pod) is "Succeeded" or "Failed" or "Pending" || PodStatus.IsTerminating(pod))
            {
                _terminator.Delete(ns, name, grace, uid, rv);
                return StatusErrors.Success(201);
            }

            var budgets = DisruptionController.BudgetsFor(_store, pod);
            if (budgets.Count > 1)
            {
                // Not an error on the server's side: the registry returns this Status as the created object (no error),
                // and the create handler writes every returned object with 201, keeping a Status's own code.
                return StatusErrors.ReturnedFailure(500, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            if (budgets.Count == 1)
            {
                CheckAndDecrement(budgets[0], pod);
            }

            _terminator.Delete(ns, name, grace, uid, rv);
            return StatusErrors.Success(201);
        }
    }

    private void CheckAndDecrement(JsonObject pdb, JsonObject pod)
    {
        var pdbName = ObjectMeta.Name(pdb)!;
        var status = pdb["status"] as JsonObject ?? [];
        var observed = JsonNumber.Read(status["observedGeneration"]) ?? 0;
        var generation = JsonNumber.Read(pdb["metadata"]?["generation"]) ?? 0;
        if (observed < generation)
        {
            throw new ApiException(StatusErrors.TooManyRequests(ViolationMessage, 10, Cause($"The disruption budget {pdbName} is still being processed by the server.")));
        }

        var allowed = JsonNumber.ReadSmall(status["disruptionsAllowed"]) ?? 0;
        var current = JsonNumber.ReadSmall(status["currentHealthy"]) ?? 0;
        var desired = JsonNumber.ReadSmall(status["desiredHealthy"]) ?? 0;

        // The default unhealthyPodEvictionPolicy (IfHealthyBudget) lets an unready pod go when the budget is met;
        // AlwaysAllow lets it go regardless. Neither consumes a disruption.
        if (!PodStatus.IsReady(pod))
        {
            var policy = (string?)pdb["spec"]?["unhealthyPodEvictionPolicy"];
            if (policy == "AlwaysAllow" || (current >= desired && desired > 0))
            {
                return;
            }
        }

        if (allowed <= 0)
        {
            throw new ApiException(StatusErrors.TooManyRequests(ViolationMessage, 0,
                Cause($"The disruption budget {pdbName} needs {desired} healthy pods and has {current} currently")));
        }

        _store.Update(ResourceTypes.PodDisruptionBudgets, ObjectMeta.Namespace(pdb), pdbName, budget =>
        {
            var s = budget["status"] as JsonObject ?? [];
            budget["status"] = s;
            s["disruptionsAllowed"] = allowed - 1;
            if (allowed - 1 == 0)
            {
                // checkAndDecrement updates the DisruptionAllowed condition when the last disruption is used.
                s["conditions"] = new JsonArray(DisruptionController.Condition(s, "False", "InsufficientPods", "",
                    s["observedGeneration"]?.DeepClone() ?? 0, _store.Time.GetUtcNow()));
            }

            var disrupted = s["disruptedPods"] as JsonObject ?? [];
            disrupted[ObjectMeta.Name(pod)!] = ObjectMeta.Timestamp(_store.Time.GetUtcNow());
            s["disruptedPods"] = disrupted;
            return budget;
        });
    }

    private static JsonArray Cause(string message) => new(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = message });
}
