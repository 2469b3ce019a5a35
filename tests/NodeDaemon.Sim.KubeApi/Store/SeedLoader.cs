using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>
/// Loads a seed: a Kubernetes <c>List</c> (<c>{"kind":"List","items":[...]}</c>) of Nodes, Pods, PodDisruptionBudgets,
/// Leases and the other served kinds. Missing metadata is filled in, namespaces the objects use are created, and the
/// controller owners of pods (DaemonSet, ReplicaSet, StatefulSet) are created when the seed leaves them out, because
/// kubectl drain looks every DaemonSet owner up and a real cluster always has it.
/// </summary>
public static class SeedLoader
{
    /// <summary>Reads a seed file.</summary>
    public static JsonObject ReadFile(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: the seed must be a JSON object (a List)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON: {e.Message}", e);
        }
    }

    /// <summary>Creates the seed's objects in the store.</summary>
    public static void Load(ObjectStore store, JsonObject? seed)
    {
        var items = (seed?["items"] as JsonArray ?? []).Select(i => i as JsonObject ?? throw new InvalidDataException("a seed item is not an object")).ToList();
        var typed = items.Select(i => (Type: ResourceTypes.ForKind((string?)i["apiVersion"], (string?)i["kind"])
            ?? throw new InvalidDataException($"seed: unsupported apiVersion/kind {i["apiVersion"]}/{i["kind"]}"), Object: i.DeepClone().AsObject())).ToList();

        var namespaces = new SortedSet<string>(StringComparer.Ordinal) { "default", "kube-system", "kube-node-lease" };
        foreach (var (type, obj) in typed.Where(t => t.Type.Namespaced))
        {
            var meta = ObjectMeta.Metadata(obj);
            meta["namespace"] ??= "default";
            namespaces.Add((string)meta["namespace"]!);
        }

        foreach (var ns in namespaces.Where(n => !typed.Any(t => t.Type == ResourceTypes.Namespaces && ObjectMeta.Name(t.Object) == n)))
        {
            typed.Insert(0, (ResourceTypes.Namespaces, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }));
        }

        AddMissingOwners(typed);
        foreach (var (type, obj) in typed.OrderBy(t => Order(t.Type)))
        {
            if (type == ResourceTypes.Pods)
            {
                SeedDefaults.ApplyPod(obj);
            }
            else if (type == ResourceTypes.Nodes)
            {
                SeedDefaults.ApplyNode(obj);
            }
            else if (type == ResourceTypes.Namespaces)
            {
                obj["status"] ??= new JsonObject { ["phase"] = "Active" };
            }

            // A seed may fix uids so that ownerReferences and tests can name them.
            store.Create(type, obj, keepIdentity: true);
        }
    }

    // Namespaces first, owners before pods, budgets after their pods so the first status is already right.
    private static int Order(ResourceType type) =>
        type == ResourceTypes.Namespaces ? 0 : type == ResourceTypes.Nodes ? 1 : type.Group == "apps" ? 2 : type == ResourceTypes.Pods ? 3 : 4;

    private static void AddMissingOwners(List<(ResourceType Type, JsonObject Object)> typed)
    {
        foreach (var (_, pod) in typed.Where(t => t.Type == ResourceTypes.Pods).ToList())
        {
            if (ObjectMeta.ControllerRef(pod) is not { } owner)
            {
                continue;
            }

            var ownerType = (string?)owner["kind"] switch
            {
                "DaemonSet" => ResourceTypes.DaemonSets,
                "ReplicaSet" => ResourceTypes.ReplicaSets,
                "StatefulSet" => ResourceTypes.StatefulSets,
                _ => null,
            };
            var ns = ObjectMeta.Namespace(pod);
            var name = (string?)owner["name"];
            if (ownerType is null || name is null
                || typed.Any(t => t.Type == ownerType && ObjectMeta.Name(t.Object) == name && ObjectMeta.Namespace(t.Object) == ns))
            {
                continue;
            }

            var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
            if ((string?)owner["uid"] is { } uid)
            {
                meta["uid"] = uid;
            }

            typed.Add((ownerType, new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = ownerType.Kind,
                ["metadata"] = meta,
                ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = pod["metadata"]?["labels"]?.DeepClone() ?? new JsonObject() } },
            }));
        }
    }
}
