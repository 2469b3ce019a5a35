namespace NodeDaemon.Core.Options;

/// <summary>The default of every option, in one place for the code and the docs.</summary>
public static class NodeDaemonOptionsDefaults
{
    /// <summary>Default annotation prefix.</summary>
    public const string AnnotationPrefix = "nodedaemon.io/";

    /// <summary>The kubelet's pull secret, which is what a node already uses for its pods.</summary>
    public const string AuthFile = "/var/lib/kubelet/config.json";

    /// <summary>Default state directory (systemd's StateDirectory=nodedaemon).</summary>
    public const string StateDirectory = "/var/lib/nodedaemon";

    /// <summary>The kernel's boot id.</summary>
    public const string BootIdFile = "/proc/sys/kernel/random/boot_id";

    /// <summary>
    /// Default spacing of progress lines on the node: a pool stages all at once, and at 2 s 500 nodes made 250 node
    /// writes a second; the journal and the systemd STATUS line still get every line.
    /// </summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    /// <summary>Default stage attempts.</summary>
    public const int StageMaxAttempts = 3;

    /// <summary>Default delay before the second stage attempt.</summary>
    public static readonly TimeSpan StageRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Default transaction timeout; a multi-gigabyte pull on a slow link takes a while.</summary>
    public static readonly TimeSpan TransactionTimeout = TimeSpan.FromHours(1);

    /// <summary>Default wait for another client's transaction.</summary>
    public static readonly TimeSpan BusyWait = TimeSpan.FromMinutes(10);

    /// <summary>Default reboots for one desired image: the first and one retry.</summary>
    public const int RebootMaxAttempts = 2;

    /// <summary>Default wait for a requested reboot: a slow shutdown stopping many pods' containers takes minutes.</summary>
    public static readonly TimeSpan RebootRequestTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Default wait for a shutdown inhibitor (a backup, an interactive tool) to go; the node stays drained meanwhile.</summary>
    public static readonly TimeSpan RebootInhibitorWait = TimeSpan.FromMinutes(30);

    /// <summary>Default interval between finalize attempts while an inhibitor holds the reboot off.</summary>
    public static readonly TimeSpan RebootInhibitorRetry = TimeSpan.FromSeconds(15);

    /// <summary>Default drain timeout.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Default evictions in flight.</summary>
    public const int DrainConcurrency = 8;

    /// <summary>Default pool label.</summary>
    public const string PoolLabel = "node-role.kubernetes.io/worker";

    /// <summary>Default slots per pool.</summary>
    public const string MaxUnavailable = "1";

    /// <summary>Default concurrent pulls per pool: unbounded (docs/protocol.md, "Staging slots", says why).</summary>
    public const string MaxStaging = "0";

    /// <summary>Default Lease namespace.</summary>
    public const string LeaseNamespace = "nodedaemon";

    /// <summary>Default failures that halt a pool.</summary>
    public const int HaltAfterFailures = 1;

    /// <summary>Default zone of maintenance windows: UTC reads the same on every node, whatever its clock setting.</summary>
    public const string MaintenanceTimeZone = "UTC";

    /// <summary>
    /// Default health gate timeout: a kubelet is Ready within a minute or two of boot, but the node's DaemonSet pods
    /// (CNI first) may have to pull new images after an OS update; ten minutes covers that on a slow registry and
    /// still rolls a bad image back before a maintenance window is gone.
    /// </summary>
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Default time a critical pod selector may match nothing on the node: long enough for a DaemonSet controller to place its pod.</summary>
    public static readonly TimeSpan HealthCriticalPodGrace = TimeSpan.FromMinutes(5);

    /// <summary>The kubelet's own healthz endpoint (KubeletConfiguration healthzBindAddress 127.0.0.1, healthzPort 10248), the value to set to turn the check on.</summary>
    public const string KubeletHealthzUrl = "http://127.0.0.1:10248/healthz";
}
