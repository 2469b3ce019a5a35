using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Testing;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>Seeds and small HTTP helpers shared by the API server tests.</summary>
internal static class Cluster
{
    /// <summary>Three nodes; on node-a a DaemonSet pod, a mirror pod, two of three web replicas (PDB minAvailable 2) and cache-0.</summary>
    public static JsonObject DrainSeed() => Load("drain-cluster.json");

    /// <summary>Loads a seed from KubeApi/Seeds.</summary>
    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KubeApi", "Seeds", name)))!.AsObject();

    /// <summary>A server on the drain seed with fast grace periods and replacements.</summary>
    public static Task<TestApiServer> StartAsync(TestApiServerOptions? options = null, JsonObject? seed = null) =>
        TestApiServer.StartAsync(seed ?? DrainSeed(), options ?? Fast);

    /// <summary>Grace periods at 1/100 (30 s → 300 ms); replacements Ready after a nominal 50 s (500 ms).</summary>
    public static TestApiServerOptions Fast { get; } = new() { TimeScale = 0.01, ReplacementReadyDelay = TimeSpan.FromSeconds(50) };

    /// <summary>An HttpClient on the server with a bounded timeout.</summary>
    public static HttpClient Client(TestApiServer server) => server.CreateHttpClient(TimeSpan.FromSeconds(20));

    /// <summary>Sends a JSON body with a content type.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return client.SendAsync(request);
    }

    /// <summary>The response body as a JSON object.</summary>
    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>GET as JSON, asserting the status code.</summary>
    public static async Task<JsonObject> GetAsync(HttpClient client, string path, int expected = 200)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(expected, (int)response.StatusCode);
        return await JsonAsync(response);
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => Poll.UntilAsync(condition, what, timeout);
}
