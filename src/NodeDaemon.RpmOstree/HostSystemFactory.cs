using Microsoft.Extensions.Logging;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.RpmOstree.Bootc;

namespace NodeDaemon.RpmOstree;

/// <summary>Makes the <see cref="IHostSystem"/> that the <c>backend</c> option names, probing the host for <c>auto</c>.</summary>
public static class HostSystemFactory
{
    /// <summary>How long the rpm-ostreed probe may take before the bus counts as silent.</summary>
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Creates the backend; for <see cref="HostBackend.Auto"/>, rpm-ostreed when it answers on the bus, else bootc on the PATH.</summary>
    /// <param name="options">The daemon's options (<c>backend</c>, <c>authFile</c>, <c>staging</c>).</param>
    /// <param name="busAddress">The system bus (rpm-ostreed, and logind for reboots).</param>
    /// <param name="time">The clock of every timeout.</param>
    /// <param name="loggers">Creates the backend's logger.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The backend; an <see cref="RpmOstreeHost"/> must be disposed by the caller.</returns>
    /// <exception cref="HostException">Auto found neither rpm-ostreed nor bootc (<see cref="HostErrorKind.Unavailable"/>).</exception>
    public static Task<IHostSystem> CreateAsync(NodeDaemonOptions options, string busAddress, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken = default) =>
        CreateAsync(options, busAddress, time, loggers, Environment.GetEnvironmentVariable("PATH"), cancellationToken);

    /// <summary>As above, with the PATH to search for bootc given.</summary>
    internal static async Task<IHostSystem> CreateAsync(NodeDaemonOptions options, string busAddress, TimeProvider time,
        ILoggerFactory loggers, string? searchPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var bootc = FindOnPath("bootc", searchPath);
        var backend = options.Backend;
        if (backend == HostBackend.Auto)
        {
            backend = await RpmOstreeProbe.AnswersAsync(busAddress, s_probeTimeout, time, cancellationToken).ConfigureAwait(false)
                ? HostBackend.RpmOstree
                : bootc is not null
                    ? HostBackend.Bootc
                    : throw new HostException(HostErrorKind.Unavailable,
                        $"backend auto: rpm-ostreed does not answer on {busAddress} and bootc is not on the PATH; set backend explicitly");
        }

        var auth = new AuthFileInstaller(options.AuthFile, sourceIsDefault: options.AuthFile == NodeDaemonOptionsDefaults.AuthFile);
        var rebooter = new LogindRebooter(busAddress);
        return backend == HostBackend.Bootc
            ? new BootcHost(new BootcHostOptions(options.Staging, bootc ?? "bootc"), auth, rebooter, time, loggers.CreateLogger<BootcHost>())
            : new RpmOstreeHost(new RpmOstreeHostOptions(busAddress, options.Staging), auth, rebooter, time, loggers.CreateLogger<RpmOstreeHost>());
    }

    /// <summary>The first executable file called <paramref name="name"/> in <paramref name="searchPath"/>, as a shell would find it.</summary>
    internal static string? FindOnPath(string name, string? searchPath)
    {
        foreach (var directory in (searchPath ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)
                && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
