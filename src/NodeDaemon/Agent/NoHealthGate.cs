using NodeDaemon.Core.Health;

namespace NodeDaemon.Agent;

/// <summary>The health gate of a daemon built without one: it waits, so a gate switched on is never passed unjudged, and
/// never fails, so nothing is rolled back on no evidence.</summary>
internal sealed class NoHealthGate : IHealthGate
{
    /// <summary>The one instance.</summary>
    public static readonly NoHealthGate Instance = new();

    /// <inheritdoc />
    public ValueTask<HealthVerdict> CheckAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<HealthVerdict>(new HealthVerdict.Waiting("waiting for the health gate: none is built into this daemon"));
}
