using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NodeDaemon.Sim.KubeApi;

namespace NodeDaemon.Sim.Tests.KubeApi;

/// <summary>The server enforces on an HTTP/2 connection what kube-apiserver's Go server enforces and nothing more
/// (<c>TestApiServer.ApplyApiServerLimits</c>): a request whose body comes late neither fails nor takes the
/// connection, and the other streams on it, down with it.</summary>
public sealed class Http2LimitsTests
{
    [Fact]
    public async Task A_request_body_that_comes_seconds_after_its_headers_ends_neither_the_request_nor_the_connection()
    {
        await using var server = await Cluster.StartAsync();
        using var client = server.CreateHttpClient(TimeSpan.FromSeconds(60));
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;

        // A watch on the connection, as every daemon holds one beside its requests.
        using var watch = await client.GetAsync("/api/v1/nodes?watch=true&fieldSelector=metadata.name%3Dnode-a", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        using var events = new StreamReader(await watch.Content.ReadAsStreamAsync());
        Assert.Equal("ADDED", await NextTypeAsync(events));
        Assert.True(server.Requests.Connections.Accepted == 1, $"before the patch: {server.Requests.Connections.ToJson()}");

        // The body comes 8 s after the headers and its first byte: a starved client (the harness shares its cores with the server) or a
        // slow link. Kestrel's default minimum body rate (240 bytes/s after 5 s) aborted the whole connection here.
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/nodes/node-a")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new LateContent("""{"metadata":{"labels":{"late":"body"}}}""", TimeSpan.FromSeconds(8)),
        };
        using var response = await client.SendAsync(patch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("MODIFIED", await NextTypeAsync(events));
        Assert.Empty(server.Requests.Connections.Ends());
        Assert.True(server.Requests.Connections.Accepted == 1, $"after the patch: {server.Requests.Connections.ToJson()}");
    }

    [Fact]
    public async Task A_TLS_handshake_that_starts_12_s_after_the_connection_is_still_served()
    {
        // kube-apiserver bounds the handshake by its ReadHeaderTimeout (32 s); Kestrel's own default is 10 s, which a
        // starved harness client overran and then reconnected, each time with a new handshake.
        await using var server = await Cluster.StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Url.Host, server.Url.Port);
        await Task.Delay(TimeSpan.FromSeconds(12));

        await using var tls = new System.Net.Security.SslStream(tcp.GetStream());
        using var trusting = TestCertificates.TrustingHandler(server.CertificateAuthority!);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = server.Url.Host,
            ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http2],
            // The server's certificate checked against its CA, as every client of it does.
            RemoteCertificateValidationCallback = trusting.SslOptions.RemoteCertificateValidationCallback,
        }, cts.Token);

        Assert.Equal(System.Net.Security.SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        Assert.Empty(server.Requests.Connections.Ends());
    }

    private static async Task<string?> NextTypeAsync(StreamReader events)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await events.ReadLineAsync(cts.Token);
        return line is null ? null : (string?)JsonNode.Parse(line)!["type"];
    }

    /// <summary>A merge patch whose first byte is sent at once and the rest only after a delay.</summary>
    private sealed class LateContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TimeSpan _delay;

        public LateContent(string json, TimeSpan delay)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            _delay = delay;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            // The headers and a first byte go out (the client holds the HEADERS frame until the body starts), so the
            // server's handler is reading the body when the rest is late.
            await stream.WriteAsync(_bytes.AsMemory(0, 1));
            await stream.FlushAsync();
            await Task.Delay(_delay);
            await stream.WriteAsync(_bytes.AsMemory(1));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
