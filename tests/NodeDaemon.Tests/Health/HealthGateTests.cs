using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Health;
using NodeDaemon.Core.Options;
using NodeDaemon.Health;

namespace NodeDaemon.Tests.Health;

/// <summary>The gate's composition with hand-written fakes and fake time: what it reads, and its memory of API silence.</summary>
public sealed class HealthGateTests
{
    private static readonly DateTimeOffset Boot = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly HealthCheckContext Context = new("node-a", Boot, Boot.AddSeconds(30));

    private readonly FakeTimeProvider _time = new(Boot.AddSeconds(30));
    private readonly FakeCluster _cluster = new();
    private readonly FakeUnits _units = new();
    private readonly FakeHealthz _healthz = new();

    private HealthGate Gate(HealthOptions? options = null) =>
        new(options ?? new HealthOptions(), _cluster, _units, _healthz, _time, NullLogger<HealthGate>.Instance);

    private static NodeReadyCondition ReadyAt(DateTimeOffset at) => new("True", at, at, "KubeletReady", "");

    [Fact]
    public async Task Gate_off_reads_nothing_and_passes()
    {
        var verdict = await Gate(new HealthOptions { Timeout = TimeSpan.Zero, Units = ["crio.service"] }).CheckAsync(Context, CancellationToken.None);

        Assert.Equal(new HealthVerdict.Passed(), verdict);
        Assert.Equal(0, _cluster.Reads);
        Assert.Empty(_units.Read);
    }

    [Fact]
    public async Task Reads_every_configured_check_once_per_call()
    {
        _cluster.Next = new ClusterReading(ReadyAt(Boot.AddSeconds(40)), []);
        var gate = Gate(new HealthOptions
        {
            CriticalPodSelectors = ["k8s-app=cni"],
            Units = ["crio.service"],
            BootComplete = true,
            KubeletHealthz = NodeDaemonOptionsDefaults.KubeletHealthzUrl,
        });

        var verdict = await gate.CheckAsync(Context, CancellationToken.None);

        Assert.Equal(new HealthVerdict.Passed(), verdict);
        Assert.Equal(["k8s-app=cni"], _cluster.LastSelectors);
        Assert.Equal(["crio.service", "boot-complete.target"], _units.Read);
        Assert.Equal([new Uri("http://127.0.0.1:10248/healthz")], _healthz.Probed);
    }

    [Fact]
    public async Task After_a_silence_the_API_gets_a_minute_before_the_timeout_judges_it()
    {
        var gate = Gate();
        _cluster.Next = new ClusterReading(null, []);
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(Context, CancellationToken.None));

        // Silent from 620 s on, after answering since the gate started.
        _cluster.Next = null;
        _time.SetUtcNow(Boot.AddSeconds(620));
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(Context, CancellationToken.None));

        // Back at 640 s, past the 630 s timeout, with the kubelet's stale status: waited on, not failed.
        _cluster.Next = new ClusterReading(new NodeReadyCondition("False", Boot.AddSeconds(-10), Boot.AddSeconds(-10), null, null), []);
        _time.SetUtcNow(Boot.AddSeconds(640));
        Assert.Equal(new HealthVerdict.Waiting("waiting for kubelet Ready (timeout passed)"), await gate.CheckAsync(Context, CancellationToken.None));

        // The kubelet posts Ready after the return: passes.
        _cluster.Next = new ClusterReading(ReadyAt(Boot.AddSeconds(650)), []);
        _time.SetUtcNow(Boot.AddSeconds(651));
        Assert.Equal(new HealthVerdict.Passed(), await gate.CheckAsync(Context, CancellationToken.None));
    }

    [Fact]
    public async Task An_API_answering_throughout_is_judged_at_the_timeout()
    {
        var gate = Gate();
        _cluster.Next = new ClusterReading(null, []);
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(Context, CancellationToken.None));

        _time.SetUtcNow(Boot.AddSeconds(631));

        Assert.Equal(new HealthVerdict.Failed("kubelet not Ready 631 s after boot"), await gate.CheckAsync(Context, CancellationToken.None));
    }

    [Fact]
    public async Task With_a_current_node_watch_the_gate_reads_no_node()
    {
        // The watch shows the kubelet's Ready since this boot; the API would say the same, but is not asked for the node.
        _cluster.Next = new ClusterReading(ReadyAt(Boot.AddSeconds(40)), []);
        var watched = Context with { Watched = new WatchedReady(ReadyAt(Boot.AddSeconds(40))) };

        var verdict = await Gate().CheckAsync(watched, CancellationToken.None);

        Assert.Equal(new HealthVerdict.Passed(), verdict);
        Assert.Equal(0, _cluster.Reads);
        Assert.Equal(1, _cluster.PodReads);
    }

    [Fact]
    public async Task A_stale_node_watch_never_fails_the_gate_the_API_read_then_judges()
    {
        var gate = Gate();
        var stale = Context with { Watched = new WatchedReady(new NodeReadyCondition("False", Boot.AddSeconds(5), Boot.AddSeconds(5), "KubeletNotReady", "")) };
        _cluster.Next = new ClusterReading(null, []);
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(stale, CancellationToken.None));

        Assert.Equal(0, _cluster.Reads); // far from the timeout the watch's wait is a wait either way: no read

        // Past the 630 s timeout the watch still shows NotReady (its connection broke), but a read now says Ready since the boot.
        _cluster.Next = new ClusterReading(ReadyAt(Boot.AddSeconds(600)), []);
        _time.SetUtcNow(Boot.AddSeconds(631));
        Assert.Equal(new HealthVerdict.Passed(), await gate.CheckAsync(stale, CancellationToken.None));
        Assert.Equal(1, _cluster.Reads);

        // With the API silent, the stale NotReady is no evidence to fail on: waited on.
        _cluster.Next = null;
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(stale, CancellationToken.None));
    }

    [Fact]
    public async Task A_node_watch_agreeing_with_the_API_fails_the_gate_at_its_timeout()
    {
        var gate = Gate();
        var notReady = new NodeReadyCondition("False", Boot.AddSeconds(5), Boot.AddSeconds(5), "KubeletNotReady", "");
        var watched = Context with { Watched = new WatchedReady(notReady) };
        _cluster.Next = new ClusterReading(notReady, []);
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(watched, CancellationToken.None));
        Assert.Equal(0, _cluster.Reads); // far from the timeout (630 s) the watch's wait is a wait either way: no read
        _time.SetUtcNow(Boot.AddSeconds(300));
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(watched, CancellationToken.None));
        Assert.Equal(0, _cluster.Reads);

        // Two minutes before the timeout the wait is read once: the API's answer starts its minute before the timeout judges.
        _time.SetUtcNow(Boot.AddSeconds(515));
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(watched, CancellationToken.None));
        Assert.Equal(1, _cluster.Reads);

        // Further asks while it waits take the watch's word: no read.
        _time.SetUtcNow(Boot.AddSeconds(600));
        Assert.IsType<HealthVerdict.Waiting>(await gate.CheckAsync(watched, CancellationToken.None));
        Assert.Equal(1, _cluster.Reads);

        // At the timeout the failure is the API's own answer to a read made then.
        _time.SetUtcNow(Boot.AddSeconds(631));
        Assert.Equal(new HealthVerdict.Failed("kubelet not Ready 631 s after boot"), await gate.CheckAsync(watched, CancellationToken.None));
        Assert.Equal(2, _cluster.Reads);
    }

    /// <summary>A cluster reader that answers <see cref="Next"/>, or throws like an unreachable server while it is null.</summary>
    private sealed class FakeCluster : IClusterHealthReader
    {
        public ClusterReading? Next { get; set; }

        public int Reads { get; private set; }

        public IReadOnlyList<string> LastSelectors { get; private set; } = [];

        public Task<ClusterReading> ReadAsync(IReadOnlyList<string> criticalPodSelectors, CancellationToken cancellationToken)
        {
            Reads++;
            LastSelectors = criticalPodSelectors;
            return Next is { } reading ? Task.FromResult(reading) : throw new ClusterException("GET api/v1/nodes/node-a: connection refused");
        }

        public int PodReads { get; private set; }

        public Task<IReadOnlyList<SelectorEvidence>> ReadPodsAsync(IReadOnlyList<string> criticalPodSelectors, CancellationToken cancellationToken)
        {
            PodReads++;
            LastSelectors = criticalPodSelectors;
            return Next is { } reading ? Task.FromResult(reading.Selectors) : throw new ClusterException("GET api/v1/pods: connection refused");
        }
    }

    /// <summary>Every unit active; remembers what was read.</summary>
    private sealed class FakeUnits : IUnitStateReader
    {
        public List<string> Read { get; } = [];

        public Task<UnitEvidence> ReadAsync(string unitName, CancellationToken cancellationToken)
        {
            Read.Add(unitName);
            return Task.FromResult(new UnitEvidence(unitName, "loaded", "active", null));
        }
    }

    /// <summary>A healthy kubelet; remembers what was probed.</summary>
    private sealed class FakeHealthz : IHealthzProbe
    {
        public List<Uri> Probed { get; } = [];

        public Task<HealthzEvidence> ProbeAsync(Uri url, CancellationToken cancellationToken)
        {
            Probed.Add(url);
            return Task.FromResult(new HealthzEvidence(200, null));
        }
    }
}
