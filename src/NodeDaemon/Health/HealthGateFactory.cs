using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;
using NodeDaemon.Kubernetes.Health;
using NodeDaemon.RpmOstree.Systemd;

namespace NodeDaemon.Health;

/// <summary>Builds the daemon's <see cref="HealthGate"/> from its options and the node client's reader, for the composition root.</summary>
public static class HealthGateFactory
{
    /// <summary>The gate over the system bus at <paramref name="busAddress"/>; what it opens goes to <paramref name="owned"/> for disposal.</summary>
    public static IHealthGate Create(HealthOptions options, IClusterHealthReader cluster, string busAddress, TimeProvider time, ILoggerFactory loggers,
        ICollection<IDisposable> owned)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(loggers);
        var units = new SystemdUnitReader(busAddress);
        owned.Add(units);
        var healthz = new KubeletHealthzProbe();
        owned.Add(healthz);
        return new HealthGate(options, cluster, units, healthz, time, loggers.CreateLogger<HealthGate>());
    }
}
