namespace NodeDaemon.Sim.KubeApi;

/// <summary>What the test API server speaks on its port.</summary>
public enum ApiServerTransport
{
    /// <summary>HTTPS with ALPN <c>h2</c> and <c>http/1.1</c>, as kube-apiserver serves (its insecure port is gone):
    /// HTTP/2 for clients that offer it, HTTP/1.1 for the rest.</summary>
    Https,

    /// <summary>HTTPS offering only <c>http/1.1</c> in ALPN, as kube-apiserver with HTTP/2 disabled or a proxy without it.</summary>
    HttpsHttp1Only,

    /// <summary>Plain HTTP/1.1 on loopback, no TLS (so no ALPN and no HTTP/2): the fallback of a client that asks for HTTP/2.</summary>
    PlainHttp1,
}
