using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>What an API answer says: a <c>Failure</c> Status body is an error with its own code whatever the HTTP code, and bodies a hostile or broken server may send are read safely.</summary>
public sealed class KubeResponseTests
{
    [Theory]
    // The eviction registry's answer for a pod under two budgets: 201 with a Failure Status of code 500.
    [InlineData(201, """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.","code":500}""", 500, false)]
    [InlineData(200, """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":"Forbidden","code":403}""", 403, false)]
    // A Failure Status without a usable code of its own is a 500.
    [InlineData(201, """{"kind":"Status","status":"Failure","message":"m"}""", 500, false)]
    [InlineData(201, """{"kind":"Status","status":"Failure","message":"m","code":201}""", 500, false)]
    [InlineData(201, """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}""", 201, true)]
    [InlineData(200, """{"kind":"Node","apiVersion":"v1","metadata":{"name":"n"},"status":{"phase":"Running"}}""", 200, true)]
    // An object that merely has a "status" field named Failure is no Status.
    [InlineData(200, """{"kind":"Pod","status":"Failure"}""", 200, true)]
    [InlineData(404, """{"kind":"Status","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}""", 404, false)]
    [InlineData(502, "null", 502, false)]
    public void A_failure_status_is_an_error_with_its_own_code(int httpCode, string body, int code, bool success)
    {
        var response = KubeResponse.Read(httpCode, JsonNode.Parse(body), null);

        Assert.Equal(code, response.StatusCode);
        Assert.Equal(success, response.IsSuccess);
    }

    [Fact]
    public void The_message_of_a_failure_status_on_a_2xx_is_kept()
    {
        var response = KubeResponse.Read(201, JsonNode.Parse("""{"kind":"Status","status":"Failure","message":"no","code":500}"""), null);

        Assert.Equal("no", response.Message);
        Assert.True(response.IsTransient);
    }

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
