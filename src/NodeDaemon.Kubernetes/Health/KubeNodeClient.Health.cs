using NodeDaemon.Core.Health;
using NodeDaemon.Kubernetes.Health;

namespace NodeDaemon.Kubernetes;

/// <summary>The health gate's reader over this client's connection (one client per daemon, not a second one).</summary>
public sealed partial class KubeNodeClient
{
    /// <summary>A reader of this node's Ready condition and its critical pods, over the same connection and credentials.</summary>
    public IClusterHealthReader HealthReader() => new KubeHealthReader(_api, _options.NodeName);
}
