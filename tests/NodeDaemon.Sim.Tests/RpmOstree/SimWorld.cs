using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>A private bus with an rpm-ostreed simulator on it; both are gone after dispose.</summary>
internal sealed class SimWorld : IAsyncDisposable
{
    public const string Name = "org.projectatomic.rpmostree1";
    public const string SysrootPath = "/org/projectatomic/rpmostree1/Sysroot";
    public const string SysrootIface = "org.projectatomic.rpmostree1.Sysroot";
    public const string OsIface = "org.projectatomic.rpmostree1.OS";
    public const string TxnIface = "org.projectatomic.rpmostree1.Transaction";
    public const string OsPath = "/org/projectatomic/rpmostree1/fedora_coreos";
    public const string Pullspec = "quay.io/example/node-os:stable";
    public const string Refspec = "ostree-unverified-registry:" + Pullspec;
    public const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    public const string Registry = "{\"" + Pullspec + "\": {\"digest\": \"" + Digest + "\", \"version\": \"42.20260101.0\"}}";

    private SimWorld(PrivateBus bus, RpmOstreedProcess sim)
    {
        Bus = bus;
        Sim = sim;
    }

    public PrivateBus Bus { get; }

    public RpmOstreedProcess Sim { get; }

    public static async Task<SimWorld> StartAsync(string fixture = "fcos-container-status.json", string? faults = null,
        string? registry = Registry)
    {
        var bus = await PrivateBus.StartAsync();
        try
        {
            var options = new RpmOstreedOptions(NodeDaemon.Tests.Shared.RepositoryPaths.RpmOstreeStatus(fixture), registry, faults);
            return new SimWorld(bus, await RpmOstreedProcess.StartAsync(bus, options));
        }
        catch
        {
            bus.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Sim.Dispose();
        Bus.Dispose();
        return ValueTask.CompletedTask;
    }
}
