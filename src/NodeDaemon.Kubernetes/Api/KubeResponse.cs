using System.Text.Json.Nodes;
using NodeDaemon.Core.Text;
using NodeDaemon.Kubernetes.Annotations;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>One API answer: the status code, the JSON body (an object or a Status) and a Retry-After header.</summary>
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
}
