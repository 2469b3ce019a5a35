using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>A hand-written transport that answers every request from a queue and keeps what it was sent.</summary>
internal sealed class FakeTokenServer : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Code, string Body)> _answers = new();

    /// <summary>Each request: method, path and query, Authorization header, body.</summary>
    public List<(string Method, string PathAndQuery, string? Authorization, JsonNode? Body)> Requests { get; } = [];

    public void Answer(HttpStatusCode code, string body) => _answers.Enqueue((code, body));

    /// <summary>An upstream-shaped TokenRequest answer: the request echoed with status.token and status.expirationTimestamp.</summary>
    public void AnswerToken(string token, DateTimeOffset expires, long seconds = 3600) => Answer(HttpStatusCode.Created, new JsonObject
    {
        ["kind"] = "TokenRequest",
        ["apiVersion"] = "authentication.k8s.io/v1",
        ["spec"] = new JsonObject { ["expirationSeconds"] = seconds },
        ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = expires.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) },
    }.ToJsonString());

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method.Method, request.RequestUri!.PathAndQuery, request.Headers.Authorization?.ToString(), text is null ? null : JsonNode.Parse(text)));
        var (code, body) = _answers.Count > 0 ? _answers.Dequeue() : (HttpStatusCode.InternalServerError, """{"kind":"Status","message":"no answer queued"}""");
        return new HttpResponseMessage(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
