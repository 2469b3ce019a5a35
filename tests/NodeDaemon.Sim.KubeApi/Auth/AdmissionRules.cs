using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Auth;

/// <summary>One write as a validating admission policy sees it (<c>request</c>, <c>object</c>, <c>oldObject</c>).</summary>
/// <param name="User">Who writes (<c>request.userInfo</c>).</param>
/// <param name="Operation">CREATE, UPDATE or DELETE.</param>
/// <param name="Type">The resource.</param>
/// <param name="Subresource">The subresource (<c>token</c>, <c>status</c>), or null.</param>
/// <param name="Name">The object's name (<c>request.name</c>).</param>
/// <param name="NewObject">The object after the write; null for a DELETE.</param>
/// <param name="OldObject">The object before it; null for a CREATE.</param>
public sealed record AdmissionRequest(ApiUser User, string Operation, ResourceType Type, string? Subresource, string Name, JsonObject? NewObject, JsonObject? OldObject);

/// <summary>
/// The validations of docs/admission-policy.yaml, written out in C# one for one, in the file's order; what each checks is
/// said next to it. A denial is answered as kube-apiserver answers one (apiserver
/// <c>pkg/admission/plugin/policy/validating/dispatcher.go</c>): the first denied validation's message, wrapped by
/// <c>admission.NewForbidden</c>, with the validation's reason and its code.
/// </summary>
public static class AdmissionRules
{
    /// <summary>Null when every policy admits <paramref name="request"/>; else the Status of the denial.
    /// <paramref name="nodes"/> are the Node params of the Lease policy (every Node, as its binding's <c>selector: {}</c>).</summary>
    public static JsonObject? Admit(AdmissionPolicy policy, AdmissionRequest request, Func<IReadOnlyList<JsonObject>> nodes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(nodes);
        // matchConditions: only the daemon's service account.
        if (request.User.Name != policy.DaemonUser)
        {
            return null;
        }

        var nodeName = request.User.NodeName ?? "";
        if (request.Type == ResourceTypes.Nodes && request.Subresource is null or "status")
        {
            return Denied(policy, AdmissionPolicy.OwnNode, OwnNode(policy, request, nodeName), request);
        }

        if (request.Type == ResourceTypes.ServiceAccounts && request.Subresource == "token" && request.Operation == "CREATE")
        {
            return Denied(policy, AdmissionPolicy.OwnToken, OwnToken(request, nodeName), request);
        }

        if (request.Type == ResourceTypes.Leases && request.Subresource is null)
        {
            if (nodeName.Length == 0)
            {
                return Denied(policy, AdmissionPolicy.PoolLeases, 0, request);
            }

            var parameters = nodes();
            if (parameters.Count == 0)
            {
                // parameterNotFoundAction: Deny, under failurePolicy: Fail.
                return Status(policy, AdmissionPolicy.PoolLeases, "no params found for policy binding with `Deny` parameterNotFoundAction", "Invalid", request);
            }

            // One evaluation per param, ANDed: only the requester's own Node can fail it.
            return parameters.Any(n => ObjectMeta.Name(n) == nodeName && !OwnPoolLease(policy, n, request.Name))
                ? Denied(policy, AdmissionPolicy.PoolLeases, 1, request)
                : null;
        }

        return null;
    }

    // nodedaemon-own-node, validations 0-4; null when all pass.
    private static int? OwnNode(AdmissionPolicy policy, AdmissionRequest request, string nodeName)
    {
        if (request.Operation != "UPDATE" || request.NewObject is not { } after || request.OldObject is not { } before)
        {
            return 0;
        }

        if (nodeName.Length == 0 || ObjectMeta.Name(after) != nodeName)
        {
            return 1;
        }

        if (!Changed(Map(before, "annotations"), Map(after, "annotations")).All(k => policy.AllowedAnnotations.Contains(k, StringComparer.Ordinal)))
        {
            return 2;
        }

        if (!Changed(Map(before, "labels"), Map(after, "labels")).All(k => policy.AllowedLabels.Contains(k, StringComparer.Ordinal)))
        {
            return 3;
        }

        // Every NodeSpec field but unschedulable as it was.
        var (oldSpec, newSpec) = (before["spec"] as JsonObject ?? [], after["spec"] as JsonObject ?? []);
        var fields = oldSpec.Select(p => p.Key).Union(newSpec.Select(p => p.Key), StringComparer.Ordinal).Where(k => k != "unschedulable");
        return fields.All(k => JsonNode.DeepEquals(oldSpec[k], newSpec[k])) ? null : 4;
    }

    // nodedaemon-own-token, validation 0: a token bound to the requester's own Node, and nothing else.
    private static int? OwnToken(AdmissionRequest request, string nodeName)
    {
        var bound = request.NewObject?["spec"]?["boundObjectRef"];
        return nodeName.Length > 0 && (string?)bound?["kind"] == "Node" && (string?)bound?["apiVersion"] == "v1" && (string?)bound?["name"] == nodeName
            ? null
            : 0;
    }

    // nodedaemon-pool-leases, validation 1 for the requester's own Node as the param: the Lease is a slot of its pool, a
    // disruption slot (digits after the pool) or a staging slot ('s' and digits): matches('^s?[0-9]+$').
    private static bool OwnPoolLease(AdmissionPolicy policy, JsonObject node, string leaseName)
    {
        var labels = ObjectMeta.Labels(node);
        var segment = labels.TryGetValue(policy.PoolLabel, out var pool) ? (pool.Length == 0 ? policy.EmptyPoolSegment : pool) : "";
        var head = policy.LeasePrefix + segment + "-";
        if (segment.Length == 0 || !leaseName.StartsWith(head, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = leaseName.AsSpan(head.Length);
        var digits = rest.StartsWith("s", StringComparison.Ordinal) ? rest[1..] : rest;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    // Keys added, changed or removed.
    private static IEnumerable<string> Changed(JsonObject before, JsonObject after) =>
        after.Where(p => !before.ContainsKey(p.Key) || !JsonNode.DeepEquals(before[p.Key], p.Value)).Select(p => p.Key)
            .Concat(before.Where(p => !after.ContainsKey(p.Key)).Select(p => p.Key));

    private static JsonObject Map(JsonObject obj, string name) => obj["metadata"]?[name] as JsonObject ?? [];

    private static JsonObject? Denied(AdmissionPolicy policy, string name, int? failed, AdmissionRequest request) =>
        failed is not { } index ? null : Status(policy, name, policy.Policies[name].Validations[index].Message, policy.Policies[name].Validations[index].Reason, request);

    // dispatcher.go: "ValidatingAdmissionPolicy '%s' with binding '%s' denied request: %s" through admission.NewForbidden
    // (the group-qualified resource and the request's name), then the validation's reason and its code, and the message
    // once more as a cause.
    private static JsonObject Status(AdmissionPolicy policy, string name, string message, string reason, AdmissionRequest request)
    {
        var denied = $"ValidatingAdmissionPolicy '{name}' with binding '{policy.Policies[name].Binding}' denied request: {message}";
        var target = request.Name.Length > 0 ? request.Name : "Unknown";
        var details = StatusErrors.Details(request.Type, target);
        details["causes"] = new JsonArray(new JsonObject { ["message"] = denied });
        var code = reason switch
        {
            "Forbidden" => 403,
            "Unauthorized" => 401,
            "RequestEntityTooLarge" => 413,
            _ => 422,
        };
        return StatusErrors.Status(code, reason, $"{request.Type.Qualified} \"{target}\" is forbidden: {denied}", details);
    }
}
