namespace NodeDaemon.Core.Host;

/// <summary>The host's deployments as read now.</summary>
/// <param name="Booted">The running deployment.</param>
/// <param name="Staged">The deployment staged for the next boot, if any.</param>
/// <param name="Rollback">The deployment a rollback would boot, if any.</param>
/// <param name="ActiveTransaction">The title of the transaction in progress; null when idle.</param>
/// <param name="Warnings">Keys or types the reader did not expect, tolerated and reported.</param>
public sealed record HostStatus(
    HostDeployment Booted,
    HostDeployment? Staged,
    HostDeployment? Rollback,
    string? ActiveTransaction,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The deployment the next boot starts when it is neither the booted nor a staged one (rpm-ostree's
    /// <c>DefaultDeployment</c> then; bootc's rollback once queued); null otherwise.</summary>
    public HostDeployment? Default { get; init; }
}
