namespace NodeDaemon.Core.Options;

/// <summary>Every setting of the daemon, merged from the drop-in JSON files and the environment.</summary>
public sealed partial record NodeDaemonOptions
{
    /// <summary>The Node object this daemon manages; empty means <c>$NODE_NAME</c>, else the host name.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>Prefix of every annotation key of the protocol, ending in <c>/</c>.</summary>
    public string AnnotationPrefix { get; init; } = NodeDaemonOptionsDefaults.AnnotationPrefix;

    /// <summary>Which annotation keys the daemon speaks.</summary>
    public AnnotationProtocol Protocol { get; init; } = AnnotationProtocol.NodeDaemon;

    /// <summary>Accept a desired image without a digest; the digest rpm-ostree resolves then counts.</summary>
    public bool AllowTags { get; init; }

    /// <summary>The repositories a desired image may come from; empty allows every one (see <see cref="Images.ImageRepositoryPrefix"/>).</summary>
    public IReadOnlyList<Images.ImageRepositoryPrefix> AllowedImages { get; init; } = [];

    /// <summary>How rpm-ostree verifies the pulled image.</summary>
    public SignaturePolicy SignaturePolicy { get; init; } = SignaturePolicy.Unverified;

    /// <summary>Which host service stages and finalizes images.</summary>
    public HostBackend Backend { get; init; } = HostBackend.Auto;

    /// <summary>Registry credentials installed for rpm-ostree before staging; empty disables.</summary>
    public string AuthFile { get; init; } = NodeDaemonOptionsDefaults.AuthFile;

    /// <summary>Where the daemon keeps what must survive a reboot.</summary>
    public string StateDirectory { get; init; } = NodeDaemonOptionsDefaults.StateDirectory;

    /// <summary>Where the current boot's id is read; it changes on every boot, which is how a reboot is recognised.</summary>
    public string BootIdFile { get; init; } = NodeDaemonOptionsDefaults.BootIdFile;

    /// <summary>Path of a kubeconfig; empty means the in-cluster service account.</summary>
    public string Kubeconfig { get; init; } = "";

    /// <summary>How much the daemon logs.</summary>
    public LogVerbosity LogLevel { get; init; } = LogVerbosity.Information;

    /// <summary>The shortest time between a write to the node and a progress line written to its <c>message</c> after it.</summary>
    public TimeSpan ProgressInterval { get; init; } = NodeDaemonOptionsDefaults.ProgressInterval;

    /// <summary>Pulling and staging the image.</summary>
    public StagingOptions Staging { get; init; } = new();

    /// <summary>Rebooting into the staged image.</summary>
    public RebootOptions Reboot { get; init; } = new();

    /// <summary>Cordon and drain.</summary>
    public DrainOptions Drain { get; init; } = new();

    /// <summary>Taking turns with the other nodes of a pool.</summary>
    public FleetOptions Fleet { get; init; } = new();

    /// <summary>When the node may be disrupted.</summary>
    public MaintenanceOptions Maintenance { get; init; } = new();

    /// <summary>The health gate after the boot into a target.</summary>
    public HealthOptions Health { get; init; } = new();

    /// <summary>The metrics and health endpoint.</summary>
    public MetricsOptions Metrics { get; init; } = new();
}
