namespace NodeDaemon.Core.Health;

/// <summary>The seam to systemd for the gate: one unit's load and active state.</summary>
public interface IUnitStateReader
{
    /// <summary>The unit's state; a bus that does not answer gives <see cref="UnitEvidence.Error"/>, never an exception.</summary>
    Task<UnitEvidence> ReadAsync(string unitName, CancellationToken cancellationToken);
}
