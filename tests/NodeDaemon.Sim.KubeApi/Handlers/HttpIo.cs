using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NodeDaemon.Sim.KubeApi.Store;

namespace NodeDaemon.Sim.KubeApi.Handlers;

/// <summary>Reading JSON request bodies and writing JSON answers the way the real server frames them.</summary>
internal static class HttpIo
{
    /// <summary>Escapes like Go's encoding/json (quotes as <c>\"</c>, not <c>\u0022</c>), so bodies read as the real server's.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a JSON body with a Content-Length; a Status with a retry hint also gets a Retry-After header.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        if (JsonNumber.ReadSmall(body["details"]?["retryAfterSeconds"]) is > 0 and var retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(Wire));
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>Writes a Status error with its own code.</summary>
    public static Task WriteStatusAsync(HttpContext context, JsonObject status) => WriteJsonAsync(context, JsonNumber.ReadSmall(status["code"]) ?? 500, status);

    /// <summary>The request body as JSON, or null when empty; 400 when it is not JSON.</summary>
    public static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ApiException(StatusErrors.BadRequest($"the body of the request was in an unknown format: {e.Message}"));
        }
    }

    /// <summary>The request body as a JSON object; 400 when missing or not an object.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadJsonAsync(context) as JsonObject ?? throw new ApiException(StatusErrors.BadRequest("the request body must be a JSON object"));
}
