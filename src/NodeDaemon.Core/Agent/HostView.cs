using NodeDaemon.Core.Host;

namespace NodeDaemon.Core.Agent;

/// <summary>What the decision needs to know about the host's deployments and boot.</summary>
/// <param name="Booted">The deployment running now.</param>
/// <param name="Staged">The staged deployment that a finalization would boot; null when none.</param>
/// <param name="BootId">The kernel's boot id: it changes on every boot, which is how a reboot is recognised.</param>
/// <param name="Rollback">The deployment after the booted one (rpm-ostree's <c>RollbackDeployment</c>): what a rollback boots; null when none.</param>
/// <param name="Default">The deployment the next boot starts when it is neither the booted nor a staged one (rpm-ostree's
/// <c>DefaultDeployment</c> then): after a rollback asked in this boot, or a bootloader fallback that left the order as it was; null otherwise.</param>
public sealed record HostView(HostDeployment Booted, HostDeployment? Staged, string BootId, HostDeployment? Rollback = null, HostDeployment? Default = null);
