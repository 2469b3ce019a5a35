using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace NodeDaemon.Systemd;

/// <summary>Sends READY=1 once the host has started and STOPPING=1 when it stops, when <c>SystemdLifetime</c> does not.</summary>
/// <remarks><c>AddSystemd()</c> installs its lifetime only when the parent process is systemd itself; a service
/// manager that sets NOTIFY_SOCKET from elsewhere (systemd-run's scopes, a test harness, a container's
/// init) would otherwise wait for READY forever.</remarks>
public sealed class ReadinessNotifier(ISystemdNotifier notifier, IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly List<CancellationTokenRegistration> _registrations = [];

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(lifetime.ApplicationStarted.Register(() => notifier.Notify(ServiceState.Ready)));
        _registrations.Add(lifetime.ApplicationStopping.Register(() => notifier.Notify(ServiceState.Stopping)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        return Task.CompletedTask;
    }
}
