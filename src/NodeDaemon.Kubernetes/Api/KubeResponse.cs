using System.Text.Json.Nodes;
using NodeDaemon.Core.Text;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>One API answer: the status code, the JSON body (an object or a Status) and a Retry-After header.</summary>
/// <param name="StatusCode">The answer's code: the HTTP code, or a <c>Failure</c> Status body's own code (see <see cref="Read"/>).</param>
/// <param name="Body">The parsed body, or null.</param>
/// <param name="RetryAfterHeader">The Retry-After header of a 429.</param>
internal sealed record KubeResponse(int StatusCode, JsonNode? Body, TimeSpan? RetryAfterHeader)
{
    /// <summary>2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The Status message, cleaned (<see cref="ServerText"/>), or a stand-in naming the code.</summary>
    /// <remarks>A server may echo the request it refused, Authorization header included, and this text reaches the
    /// journal, the Node and the STATUS line: it is cleaned here, where it enters.</remarks>
    public string Message => ServerText.Clean(Field("message")) is { Length: > 0 } message ? message : $"HTTP {StatusCode}";

    /// <summary>The Status reason (<c>Conflict</c>, <c>TooManyRequests</c>, ...), or empty.</summary>
    public string Reason => ServerText.Clean(Field("reason"), 64);

    // A string member of an object body; anything else (an array body, a number) reads as empty instead of throwing.
    private string Field(string name) => Body is JsonObject body ? NodeReader.Text(body[name]) : "";

    /// <summary>Answers worth retrying: conflicts, throttling, server errors and timeouts.</summary>
    public bool IsTransient => StatusCode is 409 or 429 or 408 or >= 500;

    /// <summary>The server's retry hint: <c>details.retryAfterSeconds</c>, else the Retry-After header.</summary>
    public TimeSpan? RetryAfter =>
        Body is JsonObject body && body["details"] is JsonObject details && details["retryAfterSeconds"] is JsonValue value
            && value.TryGetValue<int>(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 3600)) : RetryAfterHeader;

    /// <summary>The answer to <paramref name="httpCode"/> with <paramref name="body"/>: a <c>Status</c> body whose
    /// <c>status</c> is <c>Failure</c> is an error with its own <c>code</c> (500 when it has none), whatever the HTTP code.</summary>
    /// <remarks>
    /// A registry may return a Failure Status as its result instead of as an error, and the API server writes a result
    /// with the verb's success code: a pod under two disruption budgets gets <c>201</c> with
    /// <c>{"kind":"Status","status":"Failure","code":500,...}</c> (kubernetes pkg/registry/core/pod/storage/eviction.go,
    /// apiserver pkg/endpoints/handlers/create.go). Read as a 2xx it would look like an accepted eviction.
    /// </remarks>
    public static KubeResponse Read(int httpCode, JsonNode? body, TimeSpan? retryAfterHeader) =>
        httpCode is >= 200 and < 300 && body is JsonObject status && Text(status["kind"]) == "Status" && Text(status["status"]) == "Failure"
            ? new KubeResponse(OwnCode(status), body, retryAfterHeader)
            : new KubeResponse(httpCode, body, retryAfterHeader);

    private static int OwnCode(JsonObject status) =>
        status["code"] is JsonValue value && value.TryGetValue<int>(out var code) && code is >= 400 and < 600 ? code : 500;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
