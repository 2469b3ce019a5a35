using System.Net;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The server counts the connections it accepts and the protocol each negotiated, and shows them at
/// <c>GET /debug/connections</c>: what "connections per node" in a fleet run is computed from.</summary>
public sealed class ConnectionCountTests
{
    [Fact]
    public async Task Each_connection_is_counted_once_under_the_protocol_ALPN_chose()
    {
        await using var server = await Cluster.StartAsync();
        using (var http11 = server.CreateHttpClient(TimeSpan.FromSeconds(20)))
        using (var http2 = server.CreateHttpClient(TimeSpan.FromSeconds(20)))
        {
            http2.DefaultRequestVersion = HttpVersion.Version20;
            http2.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            foreach (var client in new[] { http11, http2, http2 })
            {
                using var response = await client.GetAsync("/api/v1/nodes");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            using var debug = server.CreateHttpClient(TimeSpan.FromSeconds(20));
            var counts = JsonNode.Parse(await debug.GetStringAsync("/debug/connections"))!;

            // The debug client's own connection is the third.
            Assert.Equal(3, (long)counts["accepted"]!);
            Assert.Equal(3, (int)counts["open"]!);
            Assert.Equal(1, (int)counts["byProtocol"]![ConnectionCounter.Http2]!);
            Assert.Equal(2, (int)counts["byProtocol"]![ConnectionCounter.Http11]!);
        }

        // Closed connections leave the open count; bounded wait, the server notices the close asynchronously.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (server.Requests.Connections.Open > 0)
        {
            await Task.Delay(20, cts.Token);
        }

        Assert.Equal(3, server.Requests.Connections.PeakOpen);
    }

    [Fact]
    public async Task A_connection_whose_TLS_handshake_the_server_refuses_is_counted_as_accepted_with_no_protocol()
    {
        await using var server = await Cluster.StartAsync(Cluster.Fast with { RequireClientCertificate = true });
        // The server's CA is trusted, but no client certificate is presented: the server ends the handshake.
        using var client = server.CreateHttpClient(TimeSpan.FromSeconds(20));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/api/v1/nodes"));

        // The client may try again on a new connection after a refused handshake: each is accepted, none has a protocol.
        Assert.True(server.Requests.Connections.Accepted >= 1, $"{server.Requests.Connections.Accepted} connections");
        Assert.Empty(server.Requests.Connections.ByProtocol());
    }
}
