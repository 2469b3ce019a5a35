using System.Text.Json.Nodes;
using NodeDaemon.Kubernetes.Api;

namespace NodeDaemon.Kubernetes.Tests.Api;

/// <summary>An answer's code: a <c>Failure</c> Status body is an error with its own code, whatever the HTTP code.</summary>
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
}
