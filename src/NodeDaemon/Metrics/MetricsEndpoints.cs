namespace NodeDaemon.Metrics;

/// <summary>Routes a request to its answer: <c>GET /metrics</c>, <c>GET /healthz</c>, else 404 or 405.</summary>
internal sealed class MetricsEndpoints(AgentMetrics metrics, HealthCheck health)
{
    /// <summary>The answer to <paramref name="head"/>; null (a malformed head) is a 400.</summary>
    public HttpAnswer Answer(RequestHead? head)
    {
        if (head is null)
        {
            return HttpAnswer.BadRequest;
        }

        if (head.Path is not ("/metrics" or "/healthz"))
        {
            return HttpAnswer.NotFound;
        }

        if (head.Method != "GET")
        {
            return HttpAnswer.MethodNotAllowed;
        }

        if (head.Path == "/metrics")
        {
            return new HttpAnswer(200, "OK", metrics.Render(), PrometheusTextWriter.ContentType);
        }

        // 503, not 500: the daemon answers, but the loop it vouches for is stuck; a probe or an alert acts on it.
        return health.IsHealthy(out var reason)
            ? new HttpAnswer(200, "OK", reason + "\n")
            : new HttpAnswer(503, "Service Unavailable", reason + "\n");
    }
}
