namespace NodeDaemon.Sim.RpmOstree;

/// <summary>The one-line result of a simulated reboot.</summary>
/// <param name="Staged">What happened to the staged deployment: none, applied, dropped-locked, dropped-finalization-lost.</param>
/// <param name="BootedChecksum">The ostree commit now booted.</param>
/// <param name="BootedDigest">The image digest now booted, for container deployments.</param>
/// <param name="BootCount">Boots so far, this one included.</param>
/// <param name="BootId">A fresh id for this boot (like /proc/sys/kernel/random/boot_id).</param>
public sealed record BootSummary(string Staged, string? BootedChecksum, string? BootedDigest, int BootCount, string BootId);
