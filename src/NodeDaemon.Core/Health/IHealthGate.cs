namespace NodeDaemon.Core.Health;

/// <summary>The seam to the health gate: gathers the evidence (API, system bus, kubelet) and applies the gate's rules.</summary>
public interface IHealthGate
{
    /// <summary>The verdict now; never throws for missing evidence (that is Waiting), only for cancellation.</summary>
    ValueTask<HealthVerdict> CheckAsync(HealthCheckContext context, CancellationToken cancellationToken);
}
