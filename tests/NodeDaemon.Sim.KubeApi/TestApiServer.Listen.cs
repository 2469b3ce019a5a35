using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>The listener: TLS with ALPN h2 and http/1.1 as kube-apiserver serves, and the connection counts.</summary>
public sealed partial class TestApiServer
{
    /// <summary>HTTP/2 streams one connection may have open at once: kube-apiserver's default when
    /// <c>--http2-max-streams-per-connection</c> is 0 (k8s.io/apiserver pkg/server/secure_serving.go), which is also Kestrel's.</summary>
    public const int Http2MaxStreamsPerConnection = 100;

    /// <summary>Sets Kestrel's limits to what kube-apiserver's Go server enforces (k8s.io/apiserver
    /// pkg/server/secure_serving.go, golang.org/x/net/http2 server.go), no more: a limit Kestrel has and kube-apiserver has
    /// not would break connections here that a real cluster keeps, and the harness would measure its own server.</summary>
    /// <remarks>kube-apiserver sets <c>IdleTimeout</c> 90 s and <c>ReadHeaderTimeout</c> 32 s on its <c>http.Server</c>,
    /// <c>IdleTimeout</c> 90 s, <c>MaxConcurrentStreams</c> 100, <c>MaxUploadBufferPerStream</c> and
    /// <c>MaxReadFrameSize</c> 256 KiB on its <c>http2.Server</c>, and nothing else: no <c>ReadTimeout</c>,
    /// <c>WriteTimeout</c>, <c>WriteByteTimeout</c> nor server PINGs (<c>ReadIdleTimeout</c> 0), and Go's servers have no
    /// minimum data rate at all. Kestrel's defaults differ: a minimum request body rate and a minimum response rate
    /// (240 bytes/s after a 5 s grace) that abort the whole HTTP/2 connection, every stream on it, when one stream's body
    /// is late; a 10 s TLS handshake timeout (set in <see cref="ConfigureListener"/>); a 30 s request-headers timeout; a
    /// 130 s keep-alive; smaller HTTP/2 windows and frames (768 KiB, 1 MiB, 16 KiB) and headers (32 KiB). On this harness the client and the server share two
    /// cores, so a request body that a starved client sends 5 s after its headers is ordinary, and Kestrel's heartbeat
    /// (its own thread, not starved with the thread pool) ended the connection of an agent that did nothing wrong.</remarks>
    internal static void ApplyApiServerLimits(KestrelServerLimits limits)
    {
        limits.Http2.MaxStreamsPerConnection = Http2MaxStreamsPerConnection;
        // kube-apiserver closes a connection idle for 90 s (its http.Server and http2.Server IdleTimeout).
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(90);
        // Its http.Server ReadHeaderTimeout ("just shy of requestTimeoutUpperBound").
        limits.RequestHeadersTimeout = TlsHandshakeTimeout;
        // Go's net/http and x/net/http2 servers enforce no data rate; kube-apiserver adds none.
        limits.MinRequestBodyDataRate = null;
        limits.MinResponseDataRate = null;
        // Its per-stream receive window and largest frame (resourceBody99Percentile), and the connection's window
        // (that times MaxConcurrentStreams).
        limits.Http2.InitialStreamWindowSize = ResourceBody99Percentile;
        limits.Http2.InitialConnectionWindowSize = ResourceBody99Percentile * Http2MaxStreamsPerConnection;
        limits.Http2.MaxFrameSize = ResourceBody99Percentile;
        // Its http.Server MaxHeaderBytes (1 MiB); Kestrel's default is 32 KiB.
        limits.MaxRequestHeadersTotalSize = 1 << 20;
    }

    /// <summary>kube-apiserver's TLS handshake deadline: its http.Server's ReadHeaderTimeout, the only one of Go's three
    /// handshake bounds it sets.</summary>
    internal static readonly TimeSpan TlsHandshakeTimeout = TimeSpan.FromSeconds(32);

    /// <summary>kube-apiserver's per-stream upload buffer and largest read frame: 256 KiB, what 99 % of resources fit in.</summary>
    private const int ResourceBody99Percentile = 256 * 1024;

    /// <summary>Listens on loopback at <see cref="_port"/> as <see cref="TestApiServerOptions.Transport"/> says, counting
    /// every connection in <see cref="RequestCounter.Connections"/>.</summary>
    private void ConfigureListener(KestrelServerOptions kestrel)
    {
        ApplyApiServerLimits(kestrel.Limits);
        kestrel.Listen(IPAddress.Loopback, _port, listen =>
        {
            var connections = Requests.Connections;
            // First, before TLS: every accepted TCP connection, also one whose handshake then fails.
            listen.Use(next => async context =>
            {
                connections.Opened();
                try
                {
                    await next(context);
                }
                finally
                {
                    connections.Closed();
                }
            });
            if (_certificate is { } certificate)
            {
                listen.Protocols = _options.Transport == ApiServerTransport.HttpsHttp1Only ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.ServerCertificateChain = _options.ServerCertificateChain;
                    // kube-apiserver's handshake deadline: Go's http.Server takes the least of its positive ReadHeaderTimeout,
                    // ReadTimeout and WriteTimeout (net/http server.go tlsHandshakeTimeout), 32 s there; Kestrel's is 10 s.
                    https.HandshakeTimeout = TlsHandshakeTimeout;
                    https.ClientCertificateMode = _options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate;
                    // Test certificates come from a throwaway CA; which one was presented is recorded, not judged here.
                    https.ClientCertificateValidation = (_, _, _) => true;
                });
            }
            else
            {
                // Without TLS there is no ALPN to agree on h2 with: HTTP/1.1 only, as clients reach a plain http:// URL.
                listen.Protocols = HttpProtocols.Http1;
            }

            // After the handshake: which protocol this connection speaks.
            listen.Use(next => context =>
            {
                var alpn = context.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
                connections.Negotiated(alpn.Span.SequenceEqual(SslApplicationProtocol.Http2.Protocol.Span) ? ConnectionCounter.Http2 : ConnectionCounter.Http11);
                return next(context);
            });
        });
    }
}
