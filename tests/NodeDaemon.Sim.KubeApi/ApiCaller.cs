namespace NodeDaemon.Sim.KubeApi;

/// <summary>What identified one request to the test API server.</summary>
/// <param name="Authorization">The Authorization header, or null.</param>
/// <param name="ClientCertificateSubject">The TLS client certificate's subject, or null.</param>
public sealed record ApiCaller(string? Authorization, string? ClientCertificateSubject);
