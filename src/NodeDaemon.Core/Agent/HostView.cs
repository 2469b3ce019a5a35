using NodeDaemon.Core.Host;

namespace NodeDaemon.Core.Agent;

/// <summary>What the decision needs to know about the host's deployments and boot.</summary>
/// <param name="Booted">The deployment running now.</param>
/// <param name="Staged">The staged deployment that a finalization would boot; null when none.</param>
/// <param name="BootId">The kernel's boot id: it changes on every boot, which is how a reboot is recognised.</param>
public sealed record HostView(HostDeployment Booted, HostDeployment? Staged, string BootId);
