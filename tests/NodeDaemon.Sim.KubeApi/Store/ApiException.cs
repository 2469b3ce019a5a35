using System.Text.Json.Nodes;

namespace NodeDaemon.Sim.KubeApi.Store;

/// <summary>A failed API call, carrying the <c>Status</c> object the server answers with.</summary>
public sealed class ApiException : Exception
{
    /// <summary>Wraps a Status object; its <c>code</c> becomes the HTTP status.</summary>
    public ApiException(JsonObject status)
        : base((string?)status["message"] ?? "API error")
    {
        Status = status;
    }

    /// <summary>Not used: an ApiException always carries a Status.</summary>
    public ApiException()
        : this(StatusErrors.Internal("unknown error"))
    {
    }

    /// <summary>Not used: an ApiException always carries a Status.</summary>
    public ApiException(string message)
        : this(StatusErrors.Internal(message))
    {
    }

    /// <summary>Not used: an ApiException always carries a Status.</summary>
    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusErrors.Internal(message);
    }

    /// <summary>The Status body.</summary>
    public JsonObject Status { get; }

    /// <summary>The HTTP status code.</summary>
    public int Code => JsonNumber.ReadSmall(Status["code"]) ?? 500;
}
