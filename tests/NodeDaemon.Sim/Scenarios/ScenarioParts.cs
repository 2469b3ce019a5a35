using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>The own node as the scenario starts it.</summary>
public sealed record ScenarioNode
{
    /// <summary>The node's name (the daemon's <c>nodeName</c>).</summary>
    public string Name { get; init; } = "worker-1";

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string> { ["node-role.kubernetes.io/worker"] = "" };

    /// <summary>Annotations (e.g. an initial desired image, or <c>paused</c>).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Cordoned before the daemon starts (an admin's cordon).</summary>
    public bool Unschedulable { get; init; }
}

/// <summary>A pod on the own node.</summary>
public sealed record ScenarioPod
{
    /// <summary>Namespace.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Labels (budgets select on them).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>ReplicaSet</c>, <c>StatefulSet</c>, <c>DaemonSet</c>, <c>Mirror</c> or <c>None</c>.</summary>
    public string Owner { get; init; } = "ReplicaSet";

    /// <summary>The owner's name; default: the pod name without its last <c>-suffix</c>.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Has an emptyDir volume.</summary>
    public bool EmptyDir { get; init; }

    /// <summary>Grace period, nominal seconds (scaled by the API time scale).</summary>
    public int TerminationGracePeriodSeconds { get; init; } = 30;

    /// <summary>Pod phase.</summary>
    public string Phase { get; init; } = "Running";

    /// <summary>Ready condition.</summary>
    public bool Ready { get; init; } = true;
}

/// <summary>A PodDisruptionBudget.</summary>
public sealed record ScenarioPdb
{
    /// <summary>Namespace.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>matchLabels of the selector.</summary>
    public required IReadOnlyDictionary<string, string> Selector { get; init; }

    /// <summary>A count or a percentage, as in the real object.</summary>
    public JsonNode? MinAvailable { get; init; }

    /// <summary>A count or a percentage, as in the real object.</summary>
    public JsonNode? MaxUnavailable { get; init; }
}

/// <summary>One fault: a <see cref="Kind"/> (docs/simulator.md lists them) with its fields, from the start or from a trigger.</summary>
public sealed record ScenarioFault
{
    /// <summary>What goes wrong.</summary>
    public required string Kind { get; init; }

    /// <summary>When it starts (null: from the start).</summary>
    public ScenarioTrigger? When { get; init; }

    /// <summary>When it stops (null: never), checked once it is on.</summary>
    public ScenarioTrigger? Until { get; init; }

    /// <summary>The kind's own fields.</summary>
    [JsonExtensionData]
    public JsonObject? Fields { get; init; }
}

/// <summary>A kill -9 of the daemon when <see cref="When"/> fires; it is started again after <see cref="RestartAfterMilliseconds"/>.</summary>
public sealed record ScenarioCrash
{
    /// <summary>When to kill.</summary>
    public required ScenarioTrigger When { get; init; }

    /// <summary>How long the daemon stays down.</summary>
    public int RestartAfterMilliseconds { get; init; } = 100;
}

/// <summary>The daemon's state directory on a small file system of its own, filled at a boot (a full <c>/var</c>).</summary>
public sealed record ScenarioStateDisk
{
    /// <summary>Size of the ext4 file system, in MB.</summary>
    public int Megabytes { get; init; } = 16;

    /// <summary>The boot at whose start, before the daemon runs, the file system is filled to the last block (null: never).</summary>
    public int? FullFromBoot { get; init; }
}

/// <summary>An admin's change to the node when <see cref="When"/> fires.</summary>
public sealed record ScenarioAction
{
    /// <summary>When to act.</summary>
    public required ScenarioTrigger When { get; init; }

    /// <summary>Annotations to set (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> Annotate { get; init; } = new Dictionary<string, string?>();

    /// <summary>Set <c>spec.unschedulable</c> (an admin's cordon or uncordon); null leaves it.</summary>
    public bool? Unschedulable { get; init; }

    /// <summary>Create this namespace (an admin applying a forgotten manifest).</summary>
    public string? CreateNamespace { get; init; }

    /// <summary>An unplanned reboot of the host (a power cut, a kernel panic, an admin's <c>systemctl reboot</c>): the
    /// daemon and rpm-ostreed are stopped wherever they are and the host boots what ostree would boot.</summary>
    public bool Reboot { get; init; }
}

/// <summary>What must hold at the end. Always checked besides: no budget violated, no pod evicted twice, no cordon of ours left, every write of the daemon named fieldManager=nodedaemon and the node's managedFields name it.</summary>
public sealed record ScenarioExpect
{
    /// <summary><c>Done</c> (converged on the desired image) or <c>Degraded</c>; the run ends when it is reached and holds.</summary>
    public string State { get; init; } = "Done";

    /// <summary>Text the <c>reason</c> annotation must contain.</summary>
    public string? ReasonContains { get; init; }

    /// <summary>Exact number of reboots.</summary>
    public int Reboots { get; init; } = 1;

    /// <summary>Exact number of pods evicted (null: not checked).</summary>
    public int? Evictions { get; init; }

    /// <summary><c>spec.unschedulable</c> at the end (an admin's cordon stays).</summary>
    public bool Unschedulable { get; init; }

    /// <summary>Exact number of started transactions by D-Bus method (e.g. <c>{"Rebase": 1}</c>).</summary>
    public IReadOnlyDictionary<string, int> Transactions { get; init; } = new Dictionary<string, int>();

    /// <summary>Phases that must show up in the timeline.</summary>
    public IReadOnlyList<string> PhasesSeen { get; init; } = [];

    /// <summary>Phases that must never show up.</summary>
    public IReadOnlyList<string> PhasesNotSeen { get; init; } = [];

    /// <summary>Texts that some <c>message</c> the node showed during the run must contain, each.</summary>
    public IReadOnlyList<string> MessagesSeen { get; init; } = [];

    /// <summary>Event reasons that must have been recorded on the node.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>Exact number of daemon restarts by Restart= (null: not checked).</summary>
    public int? DaemonRestarts { get; init; }

    /// <summary>Exact number of watchdog kills (null: not checked).</summary>
    public int? WatchdogKills { get; init; }

    /// <summary>Exact restarts by the result of the run that ended (<c>exit-code</c>, <c>signal</c>, <c>watchdog</c>, <c>timeout</c>); causes not named are not checked.</summary>
    public IReadOnlyDictionary<string, int> Restarts { get; init; } = new Dictionary<string, int>();

    /// <summary>At most this many API requests in the whole run (null: not checked): a misconfiguration costs a bounded number.</summary>
    public int? MaxApiRequests { get; init; }

    /// <summary>At most this many API server connections per daemon run (null: not checked): 1 says every watch and
    /// request of a run shared one connection, as client-go's do. A run that lived through an outage reconnects.</summary>
    public int? MaxApiConnectionsPerRun { get; init; }

    /// <summary>The protocol every API server connection negotiated (<c>h2</c>, <c>http/1.1</c>); null: not checked.</summary>
    public string? ApiProtocol { get; init; }

    /// <summary>Whether the host ends booted on the desired digest; null: not checked (a <c>Done</c> end implies it).</summary>
    public bool? BootedDesired { get; init; }

    /// <summary>Text that a daemon run's output (stderr) must contain, e.g. the one line of a failed start.</summary>
    public string? LogContains { get; init; }

    /// <summary>The ostree commit the host ends booted on (a rollback's previous deployment); null: not checked.</summary>
    public string? BootedChecksum { get; init; }

    /// <summary>Our cordon (and its mark) stays at the end, as <c>health.keepCordonAfterRollback</c> keeps it after a rollback;
    /// false (the default): no mark of ours may be left.</summary>
    public bool CordonKept { get; init; }

    /// <summary>Node annotations at the end: each key's value must contain the text (placeholders expanded); null: the key must be absent.</summary>
    public IReadOnlyDictionary<string, string?> Annotations { get; init; } = new Dictionary<string, string?>();
}
