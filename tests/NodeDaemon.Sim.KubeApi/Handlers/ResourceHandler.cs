using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Auth;
using NodeDaemon.Sim.KubeApi.Controllers;
using NodeDaemon.Sim.KubeApi.Patches;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>get, list, create, update (PUT), patch and delete on any served resource, plus the eviction subresource.</summary>
internal sealed class ResourceHandler
{
    private const string GenerateAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly ObjectStore _store;
    private readonly PodTerminator _terminator;
    private readonly Evictor _evictor;
    private readonly RequestCounter _counter;
    private readonly ApiAuthorization? _authorization;

    public ResourceHandler(ObjectStore store, PodTerminator terminator, Evictor evictor, RequestCounter counter, ApiAuthorization? authorization = null)
    {
        _authorization = authorization;
        _counter = counter;
        _store = store;
        _terminator = terminator;
        _evictor = evictor;
    }

    public Task GetAsync(HttpContext context, RequestTarget target)
    {
        var obj = _store.Get(target.Type, target.Namespace, target.Name!) ?? throw new ApiException(StatusErrors.NotFound(target.Type, target.Name!));
        return HttpIo.WriteJsonAsync(context, 200, obj);
    }

    public async Task ListAsync(HttpContext context, RequestTarget target)
    {
        var fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], target.Type);
        var labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var shape = ListRepresentation.For(context.Request.Headers.Accept.ToString(), target.Type);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = HttpIo.Wire.Encoder }))
        {
            // The resourceVersion and the items are taken together, so the list is the state at that version.
            var (version, items) = _store.Snapshot(target.Type, target.Namespace, o => fields.Matches(o) && labels.Matches(ObjectMeta.Labels(o)));
            var (page, next) = ListPage.Cut(items, context.Request.Query["limit"], context.Request.Query["continue"]);
            items = page;
            writer.WriteStartObject();
            writer.WriteString("kind", shape.MetadataOnly ? "PartialObjectMetadataList" : target.Type.ListKind);
            writer.WriteString("apiVersion", shape.MetadataApiVersion ?? target.Type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (next is not null)
            {
                writer.WriteString("continue", next);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("items");
            ObjectStore.WriteItems(items, writer, HttpIo.Wire, shape.MetadataApiVersion);
            writer.WriteEndObject();
            _counter.AddListed($"list {target.CountedResource}", items.Count);
        }

        if (shape.MetadataOnly)
        {
            _counter.AddMetadataOnly($"list {target.CountedResource}");
        }

        // The real server answers a metadata-only list as plain application/json too (the kind says what it is).
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public async Task CreateAsync(HttpContext context, RequestTarget target)
    {
        var body = await HttpIo.ReadObjectAsync(context);
        if (target.Subresource == "eviction")
        {
            await HttpIo.WriteJsonAsync(context, 201, _evictor.Evict(target.Namespace!, target.Name!, body));
            return;
        }

        if (target.Name is not null)
        {
            throw new ApiException(StatusErrors.MethodNotSupported(target.Type, "create"));
        }

        var meta = ObjectMeta.Metadata(body);
        var bodyNs = (string?)meta["namespace"];
        if (target.Type.Namespaced)
        {
            if (bodyNs is not null && bodyNs.Length > 0 && bodyNs != target.Namespace)
            {
                throw new ApiException(StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
            }

            meta["namespace"] = target.Namespace;
        }

        if (string.IsNullOrEmpty((string?)meta["name"]) && (string?)meta["generateName"] is { Length: > 0 } prefix)
        {
            meta["name"] = prefix + new string([.. Enumerable.Range(0, 5).Select(_ => GenerateAlphabet[Random.Shared.Next(GenerateAlphabet.Length)])]);
        }

        if (target.Type == ResourceTypes.Pods)
        {
            SeedDefaults.ApplyPod(body);
        }

        Admit(context, target, "CREATE", (string?)meta["name"] ?? "", null, body);
        FieldManagers.Record(body, null, body.DeepClone(), FieldManagers.Manager(context), target.Type.ApiVersion, _store.Time.GetUtcNow());
        await HttpIo.WriteJsonAsync(context, 201, _store.Create(target.Type, body));
    }

    public async Task UpdateAsync(HttpContext context, RequestTarget target)
    {
        var body = await HttpIo.ReadObjectAsync(context);
        var name = target.Name!;
        var bodyName = ObjectMeta.Name(body);
        if (bodyName != name)
        {
            throw new ApiException(StatusErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})"));
        }

        // As kube-apiserver's Store.Update (apiserver pkg/registry/generic/registry/store.go): a missing object is
        // created when the type allows it, whatever resourceVersion the body names (it is wiped, as on a create); an
        // existing one is replaced only at the version the body names, or at any version when that may be left out.
        var wanted = ObjectMeta.ResourceVersion(body);
        var request = body.DeepClone();
        var manager = FieldManagers.Manager(context);
        JsonObject updated;
        try
        {
            updated = _store.Update(target.Type, target.Namespace, name, current =>
            {
                if (string.IsNullOrEmpty(wanted) && !target.Type.UnconditionalUpdate)
                {
                    throw new ApiException(StatusErrors.Status(422, "Invalid",
                        $"{(target.Type.Group.Length == 0 ? target.Type.Kind : $"{target.Type.Kind}.{target.Type.Group}")} \"{name}\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
                        StatusErrors.Details(target.Type, name)));
                }

                if (!string.IsNullOrEmpty(wanted) && wanted != ObjectMeta.ResourceVersion(current))
                {
                    throw new ApiException(StatusErrors.Conflict(target.Type, name));
                }

                Admit(context, target, "UPDATE", name, current, body);
                FieldManagers.Record(body, current, request, manager, target.Type.ApiVersion, _store.Time.GetUtcNow());
                return body;
            });
        }
        catch (ApiException e) when (target.Type.CreateOnUpdate && e.Code == 404)
        {
            Admit(context, target, "CREATE", name, null, body);
            FieldManagers.Record(body, null, request, manager, target.Type.ApiVersion, _store.Time.GetUtcNow());
            await HttpIo.WriteJsonAsync(context, 201, CreateOnUpdate(target, body, name));
            return;
        }

        await HttpIo.WriteJsonAsync(context, 200, updated);
    }

    // Validating admission (when authorization is on). A create in a missing namespace is refused before it, as the
    // NamespaceLifecycle plugin runs ahead of the policies.
    private void Admit(HttpContext context, RequestTarget target, string operation, string name, JsonObject? oldObject, JsonObject? newObject)
    {
        if (_authorization is null)
        {
            return;
        }

        if (operation == "CREATE" && target.Namespace is { } ns && _store.Get(ResourceTypes.Namespaces, null, ns) is null)
        {
            throw new ApiException(StatusErrors.NotFound(ResourceTypes.Namespaces, ns));
        }

        _authorization.Admit(context, target, operation, name, oldObject, newObject, _store);
    }

    // The create half of a PUT: a writer that raced us to it makes ours a stale update, as etcd's create-if-absent does.
    private JsonObject CreateOnUpdate(RequestTarget target, JsonObject body, string name)
    {
        var meta = ObjectMeta.Metadata(body);
        meta.Remove("resourceVersion");
        meta.Remove("uid");
        meta.Remove("creationTimestamp");
        meta["namespace"] = target.Namespace;
        try
        {
            return _store.Create(target.Type, body);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            throw new ApiException(StatusErrors.Conflict(target.Type, name));
        }
    }

    public async Task PatchAsync(HttpContext context, RequestTarget target)
    {
        var patch = await HttpIo.ReadJsonAsync(context);
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        Func<JsonObject, JsonObject> apply = mediaType switch
        {
            "application/merge-patch+json" => current => MergePatch.Apply(current, patch) as JsonObject ?? [],
            "application/strategic-merge-patch+json" => current => StrategicMergePatch.Apply(current, patch) as JsonObject
                ?? throw new ApiException(StatusErrors.Status(415, "UnsupportedMediaType",
                    "nodedaemon-sim applies strategic merge patches without $-directives, and lists only where core/v1 gives a merge key it knows (status.conditions, status.addresses)")),
            // JSON patch is left out: neither the daemon nor kubectl as the tests and the demo use it sends one.
            _ => throw new ApiException(StatusErrors.Status(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json")),
        };
        var name = target.Name!;
        var manager = FieldManagers.Manager(context);
        var updated = _store.Update(target.Type, target.Namespace, name, current =>
        {
            var currentRv = ObjectMeta.ResourceVersion(current);
            var patched = SubresourceRules.Confine(target, current, apply(current));

            // A patch that names a resourceVersion is an optimistic lock on it, as with PUT.
            var wanted = ObjectMeta.ResourceVersion(patched);
            if (!string.IsNullOrEmpty(wanted) && wanted != currentRv)
            {
                throw new ApiException(StatusErrors.Conflict(target.Type, name));
            }

            Admit(context, target, "UPDATE", name, current, patched);
            FieldManagers.Record(patched, current, patch, manager, target.Type.ApiVersion, _store.Time.GetUtcNow());
            return patched;
        });
        await HttpIo.WriteJsonAsync(context, 200, updated);
    }

    public async Task DeleteAsync(HttpContext context, RequestTarget target)
    {
        var options = await HttpIo.ReadJsonAsync(context) as JsonObject;
        var grace = JsonNumber.Read(options?["gracePeriodSeconds"]) ?? PodTerminator.ParseGrace(context.Request.Query["gracePeriodSeconds"]);
        var uid = (string?)options?["preconditions"]?["uid"];
        var rv = (string?)options?["preconditions"]?["resourceVersion"];
        var name = target.Name!;
        if (target.Type == ResourceTypes.Pods)
        {
            await HttpIo.WriteJsonAsync(context, 200, _terminator.Delete(target.Namespace!, name, grace, uid, rv));
            return;
        }

        JsonObject? removed;
        lock (_store.Gate)
        {
            var current = _store.Get(target.Type, target.Namespace, name) ?? throw new ApiException(StatusErrors.NotFound(target.Type, name));
            Admit(context, target, "DELETE", name, current, null);
            if ((uid is not null && uid != ObjectMeta.Uid(current)) || (rv is not null && rv != ObjectMeta.ResourceVersion(current)))
            {
                throw new ApiException(StatusErrors.ConflictWith(target.Type, name, "Precondition failed"));
            }

            removed = _store.Remove(target.Type, target.Namespace, name);
        }

        var details = StatusErrors.Details(target.Type, name);
        details["uid"] = removed is null ? null : ObjectMeta.Uid(removed);
        await HttpIo.WriteJsonAsync(context, 200, StatusErrors.Success(200, details).Also(s => s.Remove("code")));
    }
}

/// <summary>A small fluent helper for building JSON answers.</summary>
internal static class JsonObjectExtensions
{
    /// <summary>Applies a change and returns the same object.</summary>
    public static JsonObject Also(this JsonObject obj, Action<JsonObject> change)
    {
        change(obj);
        return obj;
    }
}
