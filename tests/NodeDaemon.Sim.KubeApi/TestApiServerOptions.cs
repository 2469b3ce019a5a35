using NodeDaemon.Sim.KubeApi.Faults;

namespace NodeDaemon.Sim.KubeApi;

/// <summary>How a <see cref="TestApiServer"/> runs; every knob has a default that behaves like a real cluster.</summary>
public sealed record TestApiServerOptions
{
    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The clock for timestamps and delayed work (grace periods, pods turning Ready).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Multiplies every nominal delay of the simulated cluster (0.01: a 30 s grace period takes 300 ms).</summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>How long (nominal) a replacement pod takes from scheduled to Ready.</summary>
    public TimeSpan ReplacementReadyDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many changes the server remembers for watches resuming from a resourceVersion.</summary>
    public int HistoryLimit { get; init; } = 1000;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seed of the random names of replacement pods.</summary>
    public int RandomSeed { get; init; } = 1;

    /// <summary>Where to write the kubeconfig; null writes a temporary file that is deleted on dispose.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>HTTPS with HTTP/2 and HTTP/1.1 (the default, as kube-apiserver), HTTPS with HTTP/1.1 only, or plain HTTP/1.1.</summary>
    public ApiServerTransport Transport { get; init; } = ApiServerTransport.Https;

    /// <summary>Serve HTTPS with this certificate (with its key; its CA is the test's, so the kubeconfigs this server
    /// writes carry none); null: a certificate of a CA the server makes at start (unless <see cref="ApiServerTransport.PlainHttp1"/>).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ServerCertificate { get; init; }

    /// <summary>With <see cref="ServerCertificate"/>: the intermediates the handshake sends after it, as a server configured
    /// with a certificate file that holds the chain; null: the certificate alone (no store here holds its issuers).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? ServerCertificateChain { get; init; }

    /// <summary>With <see cref="ServerCertificate"/>: refuse a TLS handshake without a client certificate (any one is
    /// accepted; tests look at <see cref="TestApiServer.Callers"/> to see which came).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Authentication and RBAC authorization (<see cref="Auth.ApiAuthorization"/>); null: none, any token or none
    /// is accepted and every request is allowed.</summary>
    public Auth.ApiAuthorization? Authorization { get; init; }

    /// <summary>Nodes move under their agents as on a real cluster (<see cref="Controllers.NodeLifecycle"/>): the node
    /// lifecycle controller taints a cordoned node <c>node.kubernetes.io/unschedulable:NoSchedule</c> (and lifts the taint
    /// with the cordon), and every kubelet reports its node's status each <see cref="NodeStatusReportFrequency"/>. Off: a
    /// node changes only when a client writes it.</summary>
    public bool NodeChurn { get; init; }

    /// <summary>With <see cref="NodeChurn"/>: how often (nominal, scaled) each kubelet reports its node's status, the
    /// kubelet's <c>nodeStatusReportFrequency</c> (default 5 min).</summary>
    public TimeSpan NodeStatusReportFrequency { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The kubelet model's nominal timings after a boot (<see cref="TestApiServer.BootNode"/>).</summary>
    public Controllers.KubeletTimings Kubelet { get; init; } = new();

    /// <summary>Faults in force from the start.</summary>
    public FaultSettings? Faults { get; init; }
}
