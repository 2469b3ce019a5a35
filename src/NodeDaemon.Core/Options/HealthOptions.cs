namespace NodeDaemon.Core.Options;

/// <summary>Settings for the health gate after the boot into a target (placeholder until h-gprobes' options merge).</summary>
public sealed record HealthOptions
{
    /// <summary>How long every check may take to pass after the boot; zero turns the gate off.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.Zero;

    /// <summary>Keep our cordon after an automatic rollback, for an admin to look at the node.</summary>
    public bool KeepCordonAfterRollback { get; init; }
}
