using Microsoft.Extensions.Logging.Abstractions;
using NodeDaemon.Core.Host;
using NodeDaemon.Core.Options;
using NodeDaemon.RpmOstree.Bootc;

namespace NodeDaemon.RpmOstree.Tests.Bootc;

/// <summary>The backend option: explicit choices, and auto probing the bus and then the PATH.</summary>
public sealed class HostSystemFactoryTests
{
    private const string NoBus = "unix:path=/nonexistent/nodedaemon-test-bus";

    private static Task<IHostSystem> CreateAsync(HostBackend backend, string bus, string? path) =>
        HostSystemFactory.CreateAsync(new NodeDaemonOptions { Backend = backend, AuthFile = "" }, bus, TimeProvider.System,
            NullLoggerFactory.Instance, path, CancellationToken.None);

    [Fact]
    public async Task Bootc_explicit_is_bootc_without_probing()
    {
        Assert.IsType<BootcHost>(await CreateAsync(HostBackend.Bootc, NoBus, path: ""));
    }

    [Fact]
    public async Task RpmOstree_explicit_is_rpm_ostree_even_with_bootc_on_the_path()
    {
        using var world = new BootcWorld();

        using var host = Assert.IsType<RpmOstreeHost>(await CreateAsync(HostBackend.RpmOstree, NoBus, world.Directory));
    }

    [Fact]
    public async Task Auto_without_rpm_ostreed_takes_bootc_from_the_path()
    {
        using var world = new BootcWorld();

        var host = Assert.IsType<BootcHost>(await CreateAsync(HostBackend.Auto, NoBus, $"/nonexistent:{world.Directory}"));

        // The factory passes no environment, so this read also shows the fake was found by the PATH (its state lies beside it).

        Assert.Equal(BootcWorld.BootedDigest, (await host.ReadStatusAsync(CancellationToken.None)).Booted.ImageDigest?.ToString());
    }

    [Fact]
    public async Task Auto_with_neither_is_unavailable()
    {
        var error = await Assert.ThrowsAsync<HostException>(() => CreateAsync(HostBackend.Auto, NoBus, "/nonexistent"));

        Assert.Equal(HostErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task Auto_with_rpm_ostreed_on_the_bus_takes_rpm_ostree()
    {
        await using var sim = await HostWorld.StartAsync();
        using var world = new BootcWorld();

        using var host = Assert.IsType<RpmOstreeHost>(await CreateAsync(HostBackend.Auto, sim.Bus.Address, world.Directory));
    }
}
