using NodeDaemon.Core.Options;

namespace NodeDaemon.RpmOstree;

/// <summary>What the rpm-ostreed client needs from the daemon's options and environment.</summary>
/// <param name="BusAddress">The system bus address (see <see cref="RpmOstreeNames.SystemBusAddress"/>).</param>
/// <param name="Staging">Timeouts for transactions and for other clients' transactions.</param>
/// <param name="ClientId">The id registered with rpm-ostreed and shown in transaction titles.</param>
public sealed record RpmOstreeHostOptions(string BusAddress, StagingOptions Staging, string ClientId = "nodedaemon")
{
    /// <summary>How often a busy host is asked again whether its transaction ended.</summary>
    public TimeSpan BusyPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
