using System.Globalization;
using System.Text;

namespace NodeDaemon.Metrics;

/// <summary>One HTTP/1.1 response of the metrics endpoint: always a complete body and <c>Connection: close</c>.</summary>
/// <param name="Status">The status code.</param>
/// <param name="ReasonPhrase">The reason phrase of the status line.</param>
/// <param name="Body">The body, sent as UTF-8.</param>
/// <param name="ContentType">The body's media type.</param>
internal sealed record HttpAnswer(int Status, string ReasonPhrase, string Body, string ContentType = HttpAnswer.PlainText)
{
    /// <summary>Plain text for everything that is not the metrics themselves.</summary>
    public const string PlainText = "text/plain; charset=utf-8";

    /// <summary>An answer to a method other than GET: names the one allowed.</summary>
    public static HttpAnswer MethodNotAllowed { get; } = new(405, "Method Not Allowed", "only GET is served\n");

    /// <summary>An unknown path.</summary>
    public static HttpAnswer NotFound { get; } = new(404, "Not Found", "not found; try /metrics or /healthz\n");

    /// <summary>A request line that is not HTTP/1.x.</summary>
    public static HttpAnswer BadRequest { get; } = new(400, "Bad Request", "bad request\n");

    /// <summary>A request head larger than the endpoint reads.</summary>
    public static HttpAnswer TooLarge { get; } = new(431, "Request Header Fields Too Large", "request head too large\n");

    /// <summary>A client that did not finish its request in time.</summary>
    public static HttpAnswer Timeout { get; } = new(408, "Request Timeout", "request not received in time\n");

    /// <summary>The status line, headers and body as sent.</summary>
    public byte[] Encode()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var head = new StringBuilder(160)
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {ReasonPhrase}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {ContentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        if (Status == 405)
        {
            head.Append("Allow: GET\r\n");
        }

        // No keep-alive: a scrape every few seconds does not need it, and one request per connection keeps the
        // responder free of request framing beyond the head.
        head.Append("Connection: close\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return [.. headBytes, .. body];
    }
}
