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

    /// <summary>Listens on loopback at <see cref="_port"/> as <see cref="TestApiServerOptions.Transport"/> says, counting
    /// every connection in <see cref="RequestCounter.Connections"/>.</summary>
    private void ConfigureListener(KestrelServerOptions kestrel)
    {
        kestrel.Limits.Http2.MaxStreamsPerConnection = Http2MaxStreamsPerConnection;
        // kube-apiserver closes a connection idle for 90 s (its http.Server and http2.Server IdleTimeout).
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(90);
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
