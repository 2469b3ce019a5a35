using NodeDaemon.Core.Health;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Images;
using NodeDaemon.Core.Options;
using NodeDaemon.Health;
using NodeDaemon.Hosting;
using NodeDaemon.Sim.Fleet;
using NodeDaemon.Sim.KubeApi;
using NodeDaemon.Systemd;

namespace NodeDaemon.Tests.Hosting;

/// <summary>What the composition wires and owns: the daemon's health gate in the loop; the adapters it built are closed with it, a host it was given is the caller's.</summary>
public sealed class AgentCompositionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nodedaemon-composition-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_given_host_outlives_the_composition_built_on_it(bool fleet)
    {
        var host = new OwnedHost();
        var options = Options(Kubeconfig.Render(new Uri("http://127.0.0.1:1/"))) with { Fleet = new FleetOptions { Enabled = fleet } };

        using (var agent = await AgentComposition.CreateAsync(options, Parts(host), CancellationToken.None))
        {
            Assert.NotNull(agent.Loop);
        }

        Assert.False(host.Disposed);
    }

    [Fact]
    public async Task The_loop_asks_the_daemons_health_gate_built_from_the_options()
    {
        // health.timeoutSeconds 0 turns the gate off: the daemon's gate passes at once, where a loop left with its
        // default gate (one that waits for ever) would never report Done.
        var options = Options(Kubeconfig.Render(new Uri("http://127.0.0.1:1/"))) with { Health = new HealthOptions { Timeout = TimeSpan.Zero } };

        using var agent = await AgentComposition.CreateAsync(options, Parts(new OwnedHost()), CancellationToken.None);

        Assert.IsType<HealthGate>(agent.Loop.HealthGate);
        var verdict = await agent.Loop.HealthGate.CheckAsync(
            new HealthCheckContext("node-a", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch), CancellationToken.None);
        Assert.IsType<HealthVerdict.Passed>(verdict);
    }

    [Fact]
    public async Task A_kubeconfig_that_does_not_load_fails_the_start_naming_it_and_leaves_a_given_host_alone()
    {
        var host = new OwnedHost();
        var options = Options("apiVersion: v1\nclusters: [ {\n  - : :\n");

        var failure = await Assert.ThrowsAsync<AgentStartException>(() => AgentComposition.CreateAsync(options, Parts(host), CancellationToken.None));

        Assert.StartsWith($"kubeconfig {options.Kubeconfig}: ", failure.Message, StringComparison.Ordinal);
        Assert.False(host.Disposed);
    }

    /// <summary>A kubeconfig CA is the only trust anchor, so the composition keeps the system store unloaded; without one
    /// the system store decides, and is left alone.</summary>
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task The_system_trust_store_is_kept_unloaded_only_when_the_kubeconfig_names_a_CA(bool withCa, int calls)
    {
        using var pki = TestCertificates.Create();
        var options = Options(Kubeconfig.Render(new Uri("https://127.0.0.1:1/"), ca: withCa ? pki.Ca : null));
        var asked = 0;

        using (var agent = await AgentComposition.CreateAsync(options, Parts(new OwnedHost()) with { SystemTrust = () => asked++ }, CancellationToken.None))
        {
            Assert.NotNull(agent.Loop);
        }

        Assert.Equal(calls, asked);
    }

    private NodeDaemonOptions Options(string kubeconfig)
    {
        var path = Path.Combine(_dir.FullName, "kubeconfig");
        File.WriteAllText(path, kubeconfig);
        return new NodeDaemonOptions { NodeName = "node-a", Kubeconfig = path, StateDirectory = _dir.FullName };
    }

    private static AgentCompositionParts Parts(IHostSystem host) =>
        new(TimeProvider.System, new AgentHeartbeat(TimeProvider.System), new StatusReporter(SilentNotifier.Instance)) { Host = host };

    /// <summary>A host that records whether anyone closed it; it is never asked anything here.</summary>
    private sealed class OwnedHost : IHostSystem, IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;

        public Task<HostStatus> ReadStatusAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("not asked");

        public Task<HostDeployment> StageAsync(OstreeRefspec refspec, Digest? expectedDigest, IProgress<StageProgress>? progress,
            CancellationToken cancellationToken) => throw new InvalidOperationException("not asked");

        public Task FinalizeAsync(Digest digest, CancellationToken cancellationToken) => throw new InvalidOperationException("not asked");

        public Task CleanupStagedAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("not asked");

        public Task RollbackAsync(string previousChecksum, CancellationToken cancellationToken) => throw new InvalidOperationException("not asked");
    }
}
