using System.Xml.Linq;
using NodeDaemon.Sim.Harness;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>Introspects the running simulator with gdbus (and the transaction peer with Tmds) and compares every
/// member and signature with the subset XML kept in tests/NodeDaemon.Sim/RpmOstree.</summary>
public sealed class IntrospectionTests
{
    [Fact]
    public async Task Sysroot_os_and_transaction_export_exactly_the_spec_interfaces()
    {
        await using var world = await SimWorld.StartAsync();
        var spec = XDocument.Load(NodeDaemon.Sim.RpmOstree.SimulatorScript.InterfaceXmlPath);

        AssertSameInterface(spec, await GdbusIntrospectAsync(world.Bus.Address, SimWorld.SysrootPath), SimWorld.SysrootIface);
        AssertSameInterface(spec, await GdbusIntrospectAsync(world.Bus.Address, SimWorld.OsPath), SimWorld.OsIface);

        using var caller = await BusClient.ConnectAsync(world.Bus.Address);
        var address = await caller.RebaseAsync(SimWorld.Refspec);
        using var peer = await PeerTransaction.ConnectAsync(address);
        AssertSameInterface(spec, XDocument.Parse(await peer.IntrospectAsync()), SimWorld.TxnIface);
    }

    [Fact]
    public async Task Object_manager_lists_sysroot_and_os()
    {
        await using var world = await SimWorld.StartAsync();
        var result = await Tool.RunAsync("gdbus", ["call", "--address", world.Bus.Address, "--dest", SimWorld.Name,
            "--object-path", "/org/projectatomic/rpmostree1", "--method", "org.freedesktop.DBus.ObjectManager.GetManagedObjects"],
            TimeSpan.FromSeconds(5));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"objectpath '{SimWorld.SysrootPath}'", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"objectpath '{SimWorld.OsPath}'", result.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<XDocument> GdbusIntrospectAsync(string address, string path)
    {
        var result = await Tool.RunAsync("gdbus", ["introspect", "--xml", "--address", address, "--dest", SimWorld.Name,
            "--object-path", path], TimeSpan.FromSeconds(5));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return XDocument.Parse(result.StandardOutput);
    }

    private static void AssertSameInterface(XDocument spec, XDocument live, string name)
    {
        Assert.Equal(Members(Interface(spec, name)), Members(Interface(live, name)));
    }

    private static XElement Interface(XDocument doc, string name) =>
        doc.Descendants("interface").Single(i => (string?)i.Attribute("name") == name);

    /// <summary>Each member as one comparable line: kind, name, then every arg's direction and type (or the property's).</summary>
    private static List<string> Members(XElement iface) =>
        iface.Elements()
            .Select(m => m.Name.LocalName == "property"
                ? $"property {m.Attribute("name")!.Value} {m.Attribute("type")!.Value} {m.Attribute("access")!.Value}"
                : $"{m.Name.LocalName} {m.Attribute("name")!.Value}(" + string.Join(", ", m.Elements("arg").Select(a =>
                    $"{(m.Name.LocalName == "signal" ? "out" : (string?)a.Attribute("direction") ?? "in")} {a.Attribute("type")!.Value}")) + ")")
            .Order(StringComparer.Ordinal)
            .ToList();
}
