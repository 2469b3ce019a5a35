using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>
/// Builds <c>Status</c> objects with the wording of k8s.io/apimachinery/pkg/api/errors, so clients that match on reason,
/// code or message behave as they would against a real kube-apiserver.
/// </summary>
public static class StatusErrors
{
    /// <summary>A bare Status with the common fields.</summary>
    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    /// <summary>The details block naming one object.</summary>
    public static JsonObject Details(ResourceType type, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Resource;
        return details;
    }

    /// <summary>404 <c>pods "x" not found</c>.</summary>
    public static JsonObject NotFound(ResourceType type, string name) =>
        Status(404, "NotFound", $"{type.Qualified} \"{name}\" not found", Details(type, name));

    /// <summary>409 AlreadyExists.</summary>
    public static JsonObject AlreadyExists(ResourceType type, string name) =>
        Status(409, "AlreadyExists", $"{type.Qualified} \"{name}\" already exists", Details(type, name));

    /// <summary>409 Conflict on a stale resourceVersion.</summary>
    public static JsonObject Conflict(ResourceType type, string name) =>
        ConflictWith(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>409 Conflict with another cause (a failed precondition).</summary>
    public static JsonObject ConflictWith(ResourceType type, string name, string why) =>
        Status(409, "Conflict", $"Operation cannot be fulfilled on {type.Qualified} \"{name}\": {why}", Details(type, name));

    /// <summary>400 BadRequest.</summary>
    public static JsonObject BadRequest(string message) => Status(400, "BadRequest", message);

    /// <summary>422 Invalid from a patch that does not apply (NewGenericServerResponse wording, the cause carries why).</summary>
    public static JsonObject PatchFailed(string why) =>
        Status(422, "Invalid", "the server rejected our request due to an error in our request",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = why }) });

    /// <summary>500 InternalError (NewInternalError prefixes the message).</summary>
    public static JsonObject Internal(string message) =>
        Status(500, "InternalError", $"Internal error occurred: {message}",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    /// <summary>429 TooManyRequests; a zero retry hint is omitted as the real server omits it.</summary>
    public static JsonObject TooManyRequests(string message, int retryAfterSeconds, JsonArray? causes = null)
    {
        var details = new JsonObject();
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        if (retryAfterSeconds > 0)
        {
            details["retryAfterSeconds"] = retryAfterSeconds;
        }

        return Status(429, "TooManyRequests", message, details);
    }

    /// <summary>410 Expired, the object of a watch ERROR event for a resourceVersion the server no longer keeps.</summary>
    public static JsonObject Expired(long requested, long oldest) =>
        Status(410, "Expired", $"too old resource version: {requested} ({oldest})");

    /// <summary>404 for a path the server does not serve.</summary>
    public static JsonObject PathNotFound() =>
        Status(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    /// <summary>405 for a verb a resource does not support.</summary>
    public static JsonObject MethodNotSupported(ResourceType type, string verb) =>
        Status(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{type.Qualified}\"",
            new JsonObject { ["group"] = type.Group, ["kind"] = type.Resource });

    /// <summary>
    /// A <c>status: Failure</c> Status that a registry returns as its result rather than as an error: only <c>message</c>
    /// and <c>code</c>, no reason or details (the eviction registry's <c>&amp;metav1.Status{Status: Failure, Message, Code}</c>).
    /// </summary>
    public static JsonObject ReturnedFailure(int code, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["code"] = code,
    };

    /// <summary>A <c>status: Success</c> Status, as eviction and most deletes answer.</summary>
    public static JsonObject Success(int code, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }
}
