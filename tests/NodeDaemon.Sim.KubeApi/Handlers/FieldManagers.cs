using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>The field manager of a write and the <c>metadata.managedFields</c> entry it leaves, as kube-apiserver keeps them.</summary>
/// <remarks>
/// As the real server (apiserver pkg/endpoints/handlers/rest.go <c>managerOrUserAgent</c>, create.go, update.go,
/// patch.go): the manager is the <c>fieldManager</c> query parameter, or else the User-Agent before its first '/', without
/// unprintable characters, at most 128 bytes. Each (manager, operation) pair has one entry with <c>manager</c>,
/// <c>operation</c> (Update: create, update and merge patch alike), <c>apiVersion</c>, <c>time</c> and
/// <c>fieldsType: FieldsV1</c>. Simplified: <c>fieldsV1</c> is the union of the fields the manager's requests named
/// (list items are not keyed); ownership is not taken from other managers, and managedFields a client sends are ignored.
/// </remarks>
internal static class FieldManagers
{
    private const int MaxLength = 128;

    /// <summary>The verbs that write an object and take a field manager.</summary>
    public static bool IsWrite(string verb) => verb is "create" or "update" or "patch";

    /// <summary>Whether the request named its field manager.</summary>
    public static bool Named(HttpContext context) => !string.IsNullOrEmpty(context.Request.Query["fieldManager"]);

    /// <summary>The manager of a write: its <c>fieldManager</c>, or the User-Agent's prefix.</summary>
    public static string Manager(HttpContext context) =>
        context.Request.Query["fieldManager"].ToString() is { Length: > 0 } named ? named : UserAgentPrefix(context.Request.Headers.UserAgent.ToString());

    /// <summary>The part of a User-Agent before its first '/', printable characters only, within the length limit.</summary>
    public static string UserAgentPrefix(string userAgent)
    {
        var prefix = new StringBuilder();
        var bytes = 0;
        foreach (var rune in userAgent.Split('/')[0].EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (bytes + rune.Utf8SequenceLength > MaxLength)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            prefix.Append(rune.ToString());
        }

        return prefix.ToString();
    }

    /// <summary>Puts on <paramref name="written"/> the managedFields of <paramref name="previous"/> (none on a create) with
    /// the entry of <paramref name="manager"/> stamped now and grown by the fields <paramref name="request"/> names.</summary>
    public static void Record(JsonObject written, JsonObject? previous, JsonNode? request, string manager, string apiVersion, DateTimeOffset now)
    {
        var entries = previous?["metadata"]?["managedFields"] is JsonArray kept ? kept.DeepClone().AsArray() : [];
        var mine = entries.OfType<JsonObject>().FirstOrDefault(e => (string?)e["manager"] == manager && (string?)e["operation"] == "Update" && e["subresource"] is null);
        if (mine is null)
        {
            mine = new JsonObject { ["manager"] = manager, ["operation"] = "Update" };
            entries.Add(mine);
        }

        mine["apiVersion"] = apiVersion;
        mine["time"] = ObjectMeta.Timestamp(now);
        mine["fieldsType"] = "FieldsV1";
        var fields = mine["fieldsV1"] as JsonObject ?? [];
        if (request is JsonObject named)
        {
            Union(fields, Fields(named, top: true));
        }

        mine["fieldsV1"] = fields.DeepClone();
        ObjectMeta.Metadata(written)["managedFields"] = entries;
    }

    // The set of fields an object names, as FieldsV1 spells it ("f:name": {} for a leaf); identity and nulls are not fields.
    private static JsonObject Fields(JsonObject obj, bool top)
    {
        var set = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (value is null || (top && key is "apiVersion" or "kind") || (key == "metadata" && top && value is JsonObject meta && Fields(Identityless(meta), false) is { Count: 0 }))
            {
                continue;
            }

            set["f:" + key] = value is JsonObject child ? Fields(key == "metadata" && top ? Identityless(child) : child, false) : new JsonObject();
        }

        return set;
    }

    private static JsonObject Identityless(JsonObject meta)
    {
        var copy = meta.DeepClone().AsObject();
        foreach (var key in new[] { "name", "namespace", "generateName", "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink" })
        {
            copy.Remove(key);
        }

        return copy;
    }

    private static void Union(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from)
        {
            if (into[key] is JsonObject existing && value is JsonObject more)
            {
                Union(existing, more);
            }
            else if (into[key] is null)
            {
                into[key] = value?.DeepClone();
            }
        }
    }
}
