namespace NodeDaemon.Core.Health;

/// <summary>The seam to the kubelet's local healthz endpoint.</summary>
public interface IHealthzProbe
{
    /// <summary>One GET of <paramref name="url"/>; no answer gives <see cref="HealthzEvidence.Error"/>, never an exception.</summary>
    Task<HealthzEvidence> ProbeAsync(Uri url, CancellationToken cancellationToken);
}
