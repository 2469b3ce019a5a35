using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Api;

/// <summary>One API answer: the status code, the JSON body (an object or a Status) and a Retry-After header.</summary>
internal sealed record KubeResponse(int StatusCode, JsonNode? Body, TimeSpan? RetryAfterHeader)
{
    /// <summary>2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The Status message, or a stand-in naming the code.</summary>
    public string Message => Body?["message"]?.GetValue<string>() is { Length: > 0 } message ? message : $"HTTP {StatusCode}";

    /// <summary>The Status reason (<c>Conflict</c>, <c>TooManyRequests</c>, ...), or empty.</summary>
    public string Reason => Body?["reason"]?.GetValue<string>() ?? "";

    /// <summary>Answers worth retrying: conflicts, throttling, server errors and timeouts.</summary>
    public bool IsTransient => StatusCode is 409 or 429 or 408 or >= 500;

    /// <summary>The server's retry hint: <c>details.retryAfterSeconds</c>, else the Retry-After header.</summary>
    public TimeSpan? RetryAfter =>
        Body?["details"]?["retryAfterSeconds"]?.GetValue<int>() is int seconds and > 0 ? TimeSpan.FromSeconds(seconds) : RetryAfterHeader;
}
