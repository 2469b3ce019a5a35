using Microsoft.Extensions.Hosting.Systemd;

namespace NodeDaemon.Sim.Fleet;

/// <summary>A systemd notifier that is not connected: a simulated node has no systemd to tell its STATUS line to.</summary>
public sealed class SilentNotifier : ISystemdNotifier
{
    /// <summary>The one instance.</summary>
    public static readonly SilentNotifier Instance = new();

    /// <inheritdoc />
    public bool IsEnabled => false;

    /// <inheritdoc />
    public void Notify(ServiceState state)
    {
    }
}
