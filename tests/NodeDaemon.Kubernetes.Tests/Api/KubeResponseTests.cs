using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>What an API answer says, read from bodies a hostile or broken server may send.</summary>
public sealed class KubeResponseTests
{
    [Fact]
    public void An_echoed_bearer_token_never_reaches_the_message()
    {
        var body = JsonNode.Parse("""{"kind":"Status","message":"bad request: GET /api/v1/nodes/n1\nAuthorization: Bearer s3cr3t-t0ken\u001b[2J","reason":"BadRequest"}""");

        var message = new KubeResponse(400, body, null).Message;

        Assert.DoesNotContain("s3cr3t-t0ken", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\u001b', message);
        Assert.Contains("Authorization: [redacted]", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"message\": 5, \"reason\": [], \"details\": {\"retryAfterSeconds\": \"x\"}}")]
    [InlineData("{\"message\": {\"a\": 1}, \"details\": []}")]
    [InlineData("\"text\"")]
    [InlineData("{\"message\": \"x\\ud800\"}")]
    public void An_odd_body_reads_as_the_status_code(string json)
    {
        var response = new KubeResponse(500, JsonNode.Parse(json), null);

        Assert.StartsWith(response.Message == "HTTP 500" ? "HTTP 500" : "x", response.Message, StringComparison.Ordinal);
        Assert.NotNull(response.Reason);
        Assert.Null(response.RetryAfter);
    }

    [Fact]
    public void A_huge_retry_hint_is_bounded()
    {
        var body = JsonNode.Parse("""{"details": {"retryAfterSeconds": 2000000000}}""");

        Assert.Equal(TimeSpan.FromHours(1), new KubeResponse(429, body, null).RetryAfter);
    }
}
