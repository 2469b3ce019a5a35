using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NodeDaemon.Sim.Scenarios;

/// <summary>One scenario file: the world a node starts in, what happens to it, and what must come out (docs/simulator.md).</summary>
public sealed record Scenario
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>A short name for the result (default: the file name).</summary>
    public string? Name { get; init; }

    /// <summary>What the scenario shows, for people.</summary>
    public string? Description { get; init; }

    /// <summary>The own node.</summary>
    public ScenarioNode Node { get; init; } = new();

    /// <summary>Other schedulable nodes, where evicted pods' replacements go (without one they stay Pending).</summary>
    public IReadOnlyList<string> OtherNodes { get; init; } = ["worker-2"];

    /// <summary>Pods on the own node.</summary>
    public IReadOnlyList<ScenarioPod> Pods { get; init; } = [];

    /// <summary>PodDisruptionBudgets.</summary>
    public IReadOnlyList<ScenarioPdb> Pdbs { get; init; } = [];

    /// <summary>The host: an <c>rpm-ostree status --json</c> document, or the name of a file in the repository's tests/fixtures/rpm-ostree-status.</summary>
    public JsonNode? Host { get; init; }

    /// <summary>In-memory registry entries (pullspec → digest and version), for images not on the real registry.</summary>
    public IReadOnlyDictionary<string, JsonObject> Registry { get; init; } = new Dictionary<string, JsonObject>();

    /// <summary>How the real OCI registry every scenario pulls from by default is set up (docs/simulator.md, "Real
    /// registry"); null once <see cref="InMemoryRegistry"/> is given.</summary>
    public ScenarioRealRegistry? RealRegistry { get; init; } = new();

    /// <summary>Why this scenario pulls from the in-memory <see cref="Registry"/> instead of the real one (for a fault a
    /// real registry cannot produce); null: the real registry.</summary>
    public string? InMemoryRegistry { get; init; }

    /// <summary>Faults of the host and the API server, each from the start or from a trigger on.</summary>
    public IReadOnlyList<ScenarioFault> Faults { get; init; } = [];

    /// <summary>Daemon configuration, merged over the runner's (node name, kubeconfig, paths).</summary>
    public JsonObject? Options { get; init; }

    /// <summary>Annotated as the desired image once the daemon runs (null: only what <see cref="Node"/> has).</summary>
    public string? DesiredImage { get; init; }

    /// <summary>The state directory on a loop-mounted ext4 file system of its own (needs root), filled at a boot; null: a
    /// plain directory.</summary>
    public ScenarioStateDisk? StateDisk { get; init; }

    /// <summary>Kill -9 points: the daemon is killed when each trigger fires and started again.</summary>
    public IReadOnlyList<ScenarioCrash> Crashes { get; init; } = [];

    /// <summary>Changes an admin makes to the node when each trigger fires.</summary>
    public IReadOnlyList<ScenarioAction> Actions { get; init; } = [];

    /// <summary>What must hold at the end.</summary>
    public ScenarioExpect Expect { get; init; } = new();

    /// <summary>The API server enforces docs/rbac.yaml and the daemon authenticates as its service account (false: any
    /// request is allowed, the daemon uses the admin's kubeconfig).</summary>
    public bool Rbac { get; init; } = true;

    /// <summary>Nodes move under the daemon as on a real cluster: the node lifecycle controller taints a cordoned node, and the
    /// kubelet reports the node's status every <see cref="KubeletStatusSeconds"/> (false: only the daemon and the scenario's
    /// actions write the node).</summary>
    public bool NodeChurn { get; init; } = true;

    /// <summary>After each boot the node's kubelet posts <c>Ready=False</c>, then <c>Ready=True</c>, and its DaemonSet pods come
    /// back (<see cref="NodeDaemon.Sim.KubeApi.Controllers.KubeletModel"/>), as the boot faults allow (false: the node's
    /// status stays as it was before the reboot).</summary>
    public bool Kubelet { get; init; } = true;

    /// <summary>The test API server serves plain HTTP/1.1 without TLS, as the 2026-11-26 figures were measured, to tell TLS's
    /// part of a measurement from the daemon's (false: HTTPS with h2 and http/1.1, as kube-apiserver serves).</summary>
    public bool PlainHttp { get; init; }

    /// <summary>Nominal seconds between the kubelet's status reports (its <c>nodeStatusReportFrequency</c>, 5 min), scaled by
    /// <see cref="ApiTimeScale"/>.</summary>
    public double KubeletStatusSeconds { get; init; } = 300;

    /// <summary>Bound of the whole run.</summary>
    public int TimeoutSeconds { get; init; } = 60;

    /// <summary>How long the end state must hold (and nothing else happen) before the run stops.</summary>
    public int SettleMilliseconds { get; init; } = 1000;

    /// <summary>The API server's time scale: 0.01 makes a 30 s grace period 300 ms.</summary>
    public double ApiTimeScale { get; init; } = 0.01;

    /// <summary>Nominal seconds an evicted pod's replacement takes to be Ready (scaled by <see cref="ApiTimeScale"/>).</summary>
    public double ReplacementReadySeconds { get; init; } = 5;

    /// <summary>Pull speed of the simulated host (1: ~1.5 s per pull).</summary>
    public double HostSpeed { get; init; } = 7.5;

    /// <summary>Multiplies every duration of the shipped unit (WatchdogSec=, RestartSec=, TimeoutStopSec=, …): 0.02 makes
    /// the 3 min watchdog 3.6 s and the 10 s restart delay 200 ms. 1 runs the unit's own times.</summary>
    public double SystemdTimeScale { get; init; } = 1;

    /// <summary>Reads and checks a scenario file; a bad one throws <see cref="ScenarioException"/> naming the problem.</summary>
    public static Scenario Load(string path)
    {
        try
        {
            var scenario = JsonSerializer.Deserialize<Scenario>(File.ReadAllText(path), s_json)
                ?? throw new ScenarioException($"{path}: the file holds null");
            scenario = scenario with { Name = scenario.Name ?? Path.GetFileNameWithoutExtension(path) };
            scenario.Check();
            if (scenario.InMemoryRegistry is not null)
            {
                scenario = scenario with { RealRegistry = null };
            }

            return scenario;
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{path}: {e.Message}");
        }
        catch (IOException e)
        {
            throw new ScenarioException($"{path}: {e.Message}");
        }
    }

    private void Check()
    {
        if (TimeoutSeconds <= 0 || SettleMilliseconds < 0 || ApiTimeScale <= 0 || HostSpeed <= 0 || KubeletStatusSeconds <= 0 || SystemdTimeScale <= 0)
        {
            throw new ScenarioException($"{Name}: timeoutSeconds, apiTimeScale, hostSpeed, kubeletStatusSeconds and systemdTimeScale must be positive, settleMilliseconds not negative");
        }

        foreach (var fault in Faults)
        {
            ScenarioFaults.Check(fault);
        }

        if (InMemoryRegistry is not null && (string.IsNullOrWhiteSpace(InMemoryRegistry) || RealRegistry != new ScenarioRealRegistry()))
        {
            throw new ScenarioException($"{Name}: inMemoryRegistry must say why the real registry cannot serve this scenario, and excludes realRegistry");
        }

        if (InMemoryRegistry is not null && Faults.Any(f => f.Kind == ScenarioRealRegistry.DownFault))
        {
            throw new ScenarioException($"{Name}: the {ScenarioRealRegistry.DownFault} fault needs the real registry");
        }

        if (Expect.State is not ("Done" or "Degraded"))
        {
            throw new ScenarioException($"{Name}: expect.state must be Done or Degraded, got {Expect.State}");
        }
    }
}
