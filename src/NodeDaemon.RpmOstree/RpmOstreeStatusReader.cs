using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using Tmds.DBus.Protocol;

namespace NodeDaemon.RpmOstree;

/// <summary>Reads the host's deployments and running transaction from rpm-ostreed, registering as its client first.</summary>
/// <remarks>Two reads: the whole status (six calls), and the staged deployment alone (three) for the stager, which
/// reads afresh right before each transaction but uses nothing of the rollback, default or active transaction.</remarks>
internal sealed class RpmOstreeStatusReader(RpmOstreeBus bus, RpmOstreeRegistration registration, string busAddress, TimeProvider time, ILogger logger)
{
    /// <summary>The status, and the booted OS object's path that the OS methods are called on.</summary>
    public Task<(HostStatus Status, string OsPath)> ReadAsync() => WithinCallTimeoutAsync(ReadOnceAsync);

    /// <summary>The staged deployment (null when none) and the booted OS object's path: <c>RegisterClient</c> and the
    /// <c>Sysroot</c> properties <c>Booted</c> and <c>Deployments</c>, by the same rules as <see cref="ReadAsync"/>.</summary>
    public Task<(HostDeployment? Staged, string OsPath)> ReadStagedAsync() => WithinCallTimeoutAsync(async () =>
    {
        var (_, staged, osPath, warnings) = await ReadDeploymentsAsync().ConfigureAwait(false);
        LogWarnings(warnings);
        return (staged, osPath);
    });

    private async Task<T> WithinCallTimeoutAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().WaitAsync(RpmOstreeBus.CallTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            // A method call has no timeout of its own on D-Bus: a wedged rpm-ostreed would hold the agent forever.
            throw new HostException(HostErrorKind.Unavailable, $"rpm-ostreed did not answer within {RpmOstreeBus.CallTimeout}", e);
        }
        catch (DBusExceptionBase e)
        {
            throw new HostException(HostErrorKind.Unavailable, $"rpm-ostreed is not reachable on {busAddress}: {e.Message}", e);
        }
    }

    private async Task<(HostStatus Status, string OsPath)> ReadOnceAsync()
    {
        var (booted, staged, osPath, warnings) = await ReadDeploymentsAsync().ConfigureAwait(false);
        var rollback = DeploymentMapper.Map(await bus.GetOsDeploymentAsync(osPath, "RollbackDeployment").ConfigureAwait(false), warnings);
        // rpm-ostreed's DefaultDeployment is the pending one (before the booted in the boot order), else the booted one.
        var next = DeploymentMapper.Map(await bus.GetOsDeploymentAsync(osPath, "DefaultDeployment").ConfigureAwait(false), warnings);
        var (method, _, _) = await bus.GetActiveTransactionAsync().ConfigureAwait(false);
        LogWarnings(warnings);
        var status = new HostStatus(booted, staged, rollback, method.Length == 0 ? null : method, warnings)
        {
            // Only a default that is neither booted nor staged says something the rest does not: a rollback asked in this
            // boot, or a bootloader that fell back without changing the order.
            Default = next is { Booted: false, Staged: false } && next.Checksum != booted.Checksum && next.Checksum != staged?.Checksum ? next : null,
        };
        return (status, osPath);
    }

    /// <summary>Registers, then reads the OS path and the deployments, and picks the booted and the staged one.</summary>
    private async Task<(HostDeployment Booted, HostDeployment? Staged, string OsPath, List<string> Warnings)> ReadDeploymentsAsync()
    {
        await registration.RegisterAsync().ConfigureAwait(false);
        var osPath = await bus.GetBootedOsPathAsync().ConfigureAwait(false);
        var warnings = new List<string>();
        var deployments = (await bus.GetDeploymentsAsync().ConfigureAwait(false))
            .Select(d => DeploymentMapper.Map(d, warnings))
            .OfType<HostDeployment>()
            .ToList();
        var (booted, staged) = DeploymentChoice.Pick(deployments, warnings);
        if (booted is null)
        {
            LogWarnings(warnings);
            throw new HostException("rpm-ostreed lists no booted deployment");
        }

        return (booted, staged, osPath, warnings);
    }

    private void LogWarnings(List<string> warnings)
    {
        foreach (var warning in warnings)
        {
            RpmOstreeLog.StatusWarning(logger, warning);
        }
    }
}
